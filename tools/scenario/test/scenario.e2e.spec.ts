import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RunningSystem } from '@softphone/service-testing';
import { playScenario } from '../src/scenario.js';
import type { StepReport } from '../src/steps.js';
import { clientOf, expectEverythingPublished } from './support.js';

describe("the guide's scenario, end to end, against the four services as processes", () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await RunningSystem.start({ label: 'scenario' });
  });

  afterAll(async () => {
    await system?.close();
  });

  it('plays every step as the guide predicts', async () => {
    const steps: StepReport[] = [];
    const outcome = await playScenario(clientOf(system), (report) => steps.push(report)).catch((error) => {
      throw new Error(`${String(error)}\n${system.output()}`);
    });
    expect(steps.map((s) => s.step)).toHaveLength(15);
    expect(steps.slice(13).map((s) => s.step)).toEqual([
      'wrap-up after a call: no call meanwhile, until the agent ends it early',
      'not responding: a call whose media is never confirmed goes back to its queue',
    ]);
    expect(outcome.autoAnswerDelayMs).toBeGreaterThanOrEqual(2_000);
    expect(outcome.inboundCallIds).toHaveLength(4);
    // Nothing stayed behind in an outbox: every service's events reached Kafka.
    for (const service of ['tenant-svc', 'agent-svc', 'call-svc', 'quality-svc'] as const) await expectEverythingPublished(system, service);
  });
});
