import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RunningSystem } from '@softphone/service-testing';
import { eventually, testKafka } from '@softphone/testing';
import { playScenario } from '../src/scenario.js';
import { clientOf } from './support.js';

describe('the services run as two instances each', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await RunningSystem.start({ label: 'two_instances' });
    for (const service of ['tenant-svc', 'agent-svc', 'call-svc', 'quality-svc'] as const) await system.startInstance(service, 'b');
  });

  afterAll(async () => {
    await system?.close();
  });

  it('share the partitions of each consumer group, and the scenario gives the same results as with one', async () => {
    const admin = (await testKafka('admin')).admin();
    await admin.connect();
    try {
      const groups = ['agent-svc.tenant-directory', 'agent-svc.call-activity', 'call-svc.directory', 'quality-svc.directory'].map(
        (g) => `${system.topicPrefix}${g}`,
      );
      await eventually(async () => {
        const { groups: described } = await admin.describeGroups(groups);
        for (const group of described) {
          expect(group.state).toBe('Stable');
          expect(group.members).toHaveLength(2);
        }
      }, 60_000);
    } finally {
      await admin.disconnect();
    }
    const outcome = await playScenario(clientOf(system));
    expect(outcome.inboundCallIds).toHaveLength(4);
  });
});
