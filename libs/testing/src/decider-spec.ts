// The standalone matcher library (Jest's own), so @softphone/testing loads outside Jest too (benchmarks).
import { expect } from 'expect';
import { decideOn, type Decider } from '@softphone/decider';

/**
 * Given some events, when a command, then these events (or this error code):
 *   spec(tenantDecider).given([created]).when(enable).then([enabled])
 *   spec(tenantDecider).given([]).when(enable).thenFails('TENANT_NOT_FOUND')
 */
export function deciderSpec<C, E, S>(decider: Decider<C, E, S>) {
  return {
    given: (history: E[]) => ({
      when: (command: C) => ({
        then(expected: E[]): void {
          expect(decideOn(decider, history, command)).toEqual(expected);
        },
        thenFails(code: string, details: Record<string, unknown> = {}): void {
          let failure: unknown;
          try {
            decideOn(decider, history, command);
          } catch (error) {
            failure = error;
          }
          expect(failure).toMatchObject({ code, ...details });
        },
      }),
    }),
  };
}
