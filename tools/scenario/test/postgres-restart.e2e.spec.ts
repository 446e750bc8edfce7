import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DOMAIN_SERVICES as SERVICES } from '@softphone/service-catalog';
import { RunningSystem } from '@softphone/service-testing';
import { collect, eventually, startPrivatePostgres, type PrivatePostgres } from '@softphone/testing';
import { clientOf } from './support.js';
import { availabilityByCall, readyAgent, talkAndHangUp } from './setup.js';

describe('fault: PostgreSQL restarted under the running services', () => {
  let postgres: PrivatePostgres;
  let system: RunningSystem;

  beforeAll(async () => {
    postgres = await startPrivatePostgres();
    system = await RunningSystem.start({ label: 'pg_restart', postgresUrl: postgres.url });
  });

  afterAll(async () => {
    await system?.close();
    await postgres?.close();
  });

  it('every service reconnects by itself: healthy again, and commands and their events flow again', async () => {
    const client = clientOf(system);
    const admin = await client.token({ subject: 'root', role: 'system-admin', tenantId: 'system' });
    expect((await client.tenant.post('/tenants', { name: 'Before' }, admin)).status).toBe(201);

    await postgres.stop();
    await eventually(async () => expect((await client.tenant.get('/health')).status).toBe(503));
    await postgres.start();

    for (const service of SERVICES) {
      await eventually(async () => expect((await system.instance(service).http.get('/health')).status).toBe(200), 60_000);
    }
    const created = await eventually(async () => {
      const result = await client.tenant.post('/tenants', { name: 'After', poolMode: false }, admin);
      expect(result.status).toBe(201);
      return result.body as { tenantId: string };
    });
    // The outbox relay got its leader lock back and published the new tenant.
    const published = await collect(`${system.topicPrefix}softphone.tenant.events`, (all) =>
      all.some((m) => m.key === `tenant-${created.tenantId}`),
    );
    expect(published.filter((m) => m.key === `tenant-${created.tenantId}`).map((m) => JSON.parse(m.value).type)).toEqual([
      'tenant.created',
    ]);
    // And the whole flow works again across the services: a ready agent takes a call, agent-svc sees it.
    const ready = await readyAgent(system, client);
    const callId = await talkAndHangUp(client, ready);
    await eventually(
      async () => expect((await availabilityByCall(client, ready))[callId]).toEqual(['agent.became-occupied', 'agent.became-idle']),
      60_000,
    );
  });
});
