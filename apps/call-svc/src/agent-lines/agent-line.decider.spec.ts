import { describe, it } from '@jest/globals';
import type { CallEvent } from '@softphone/contracts';
import { deciderSpec } from '@softphone/testing';
import { agentLineDecider } from './agent-line.decider.js';

const spec = deciderSpec(agentLineDecider);
const t0 = '2026-11-24T10:00:00.000Z';
const reserved = { type: 'call.agent-line-reserved' as const, data: { agentId: 'a1', callId: 'c1' } };
const released = { type: 'call.agent-line-released' as const, data: { agentId: 'a1', callId: 'c1' } };
const reserve = (callId: string, outbound = false) => ({ type: 'Reserve', agentId: 'a1', callId, outbound }) as const;
const release = (callId: string, talked = true, wrapUpSeconds = 0) =>
  ({ type: 'Release', agentId: 'a1', callId, talked, wrapUpSeconds, now: t0 }) as const;
const wrapUp: CallEvent = { type: 'call.agent-wrap-up-started', data: { agentId: 'a1', callId: 'c1', until: '2026-11-24T10:00:30.000Z' } };
const notResponding: CallEvent = {
  type: 'call.agent-not-responding',
  data: { agentId: 'a1', callId: 'c1', reason: 'auto-answer-unconfirmed' },
};

describe('agent line decider', () => {
  it('gives an agent one call at a time: an occupied agent is never offered a second call', () => {
    // Guide: "The agent enters the busy state and does not answer other calls."
    spec.given([]).when(reserve('c1')).then([reserved]);
    spec.given([reserved]).when(reserve('c1')).then([]);
    spec.given([reserved]).when(reserve('c2')).thenFails('AGENT_OCCUPIED');
  });
  it('frees the line only for the call that holds it', () => {
    spec.given([reserved]).when(release('c2')).then([]);
    spec.given([reserved]).when(release('c1')).then([released]);
    spec
      .given([reserved, released])
      .when(reserve('c2'))
      .then([{ type: 'call.agent-line-reserved', data: { agentId: 'a1', callId: 'c2' } }]);
  });

  describe('wrap-up', () => {
    it('follows a call the agent talked on, for the tenant wrap-up time (0: off)', () => {
      // Issue 10: "After a call ends the agent is in `wrap-up` for a tenant-configured time (default 0 = off)".
      spec
        .given([reserved])
        .when(release('c1', true, 30))
        .then([released, wrapUp]);
      spec
        .given([reserved])
        .when(release('c1', true, 0))
        .then([released]);
      spec
        .given([reserved])
        .when(release('c1', false, 30))
        .then([released]);
    });
    it('takes no routed call until it ends, by its time or early by the agent or an admin', () => {
      // Issue 10: "routable again when it ends or when the agent ends it early".
      const inWrapUp = [reserved, released, wrapUp];
      spec.given(inWrapUp).when(reserve('c2')).thenFails('AGENT_IN_WRAP_UP');
      const byTimer: CallEvent = { type: 'call.agent-wrap-up-ended', data: { agentId: 'a1', callId: 'c1', endedBy: 'timer' } };
      spec.given(inWrapUp).when({ type: 'EndWrapUp', agentId: 'a1', callId: 'c1' }).then([byTimer]);
      const byAgent: CallEvent = { type: 'call.agent-wrap-up-ended', data: { agentId: 'a1', callId: 'c1', endedBy: 'agent' } };
      spec.given(inWrapUp).when({ type: 'MakeAvailable', agentId: 'a1', by: 'agent' }).then([byAgent]);
      // Both orders of the agent's early end and the timer: whichever comes second changes nothing.
      spec
        .given([...inWrapUp, byAgent])
        .when({ type: 'EndWrapUp', agentId: 'a1', callId: 'c1' })
        .then([]);
      spec
        .given([...inWrapUp, byTimer])
        .when({ type: 'MakeAvailable', agentId: 'a1', by: 'agent' })
        .thenFails('AGENT_ALREADY_AVAILABLE');
      spec
        .given([...inWrapUp, byTimer])
        .when(reserve('c2'))
        .then([{ type: 'call.agent-line-reserved', data: { agentId: 'a1', callId: 'c2' } }]);
    });
    it("the agent's own outbound call ends its wrap-up", () => {
      spec
        .given([reserved, released, wrapUp])
        .when(reserve('c2', true))
        .then([
          { type: 'call.agent-wrap-up-ended', data: { agentId: 'a1', callId: 'c1', endedBy: 'agent' } },
          { type: 'call.agent-line-reserved', data: { agentId: 'a1', callId: 'c2' } },
        ]);
    });
  });

  describe('not responding', () => {
    it('holds an agent whose softphone did not respond until the agent or an admin makes it available again', () => {
      // Issue 10: "the agent goes to `not-responding` (not routable) until the agent or an admin makes it available again".
      spec
        .given([reserved])
        .when({ type: 'ReleaseNotResponding', agentId: 'a1', callId: 'c1', reason: 'auto-answer-unconfirmed' })
        .then([released, notResponding]);
      const held = [reserved, released, notResponding];
      spec.given(held).when(reserve('c2')).thenFails('AGENT_NOT_RESPONDING');
      spec.given(held).when(reserve('c2', true)).thenFails('AGENT_NOT_RESPONDING');
      const available: CallEvent = { type: 'call.agent-made-available', data: { agentId: 'a1', by: 'admin' } };
      spec.given(held).when({ type: 'MakeAvailable', agentId: 'a1', by: 'admin' }).then([available]);
      spec
        .given([...held, available])
        .when(reserve('c2'))
        .then([{ type: 'call.agent-line-reserved', data: { agentId: 'a1', callId: 'c2' } }]);
    });
    it('the guard of a call the line no longer holds changes nothing', () => {
      spec.given([reserved, released]).when({ type: 'ReleaseNotResponding', agentId: 'a1', callId: 'c1', reason: 'ring-timeout' }).then([]);
    });
    it('cannot make available an agent on a call', () => {
      spec.given([reserved]).when({ type: 'MakeAvailable', agentId: 'a1', by: 'agent' }).thenFails('AGENT_OCCUPIED');
    });
  });
});
