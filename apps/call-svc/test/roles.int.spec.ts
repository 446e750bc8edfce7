import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startServiceProcess, type ServiceProcess } from '@softphone/service-testing';
import { collect, createTestDatabase, eventually, testEnv, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { upstream } from './upstream.js';

/**
 * CALL_SVC_ROLE: call-svc as two processes (dist/, built by npm test) on one database, one running the HTTP API and
 * the consumers (api), the other the durable timers (timers): an offered call is auto-answered once, by the timers
 * process; a bad role stops the service at start-up.
 */
describe('call-svc: an api process and a timers process', () => {
  let db: TestDatabase;
  const prefix = uniqueTopicPrefix('roles');
  const play = upstream(prefix, () => db.url);
  const running: ServiceProcess[] = [];
  const start = async (role: string) => {
    const process = await startServiceProcess({
      service: 'call-svc',
      database: db,
      topicPrefix: prefix,
      instanceId: `call-svc-${role}`,
      env: { CALL_SVC_ROLE: role },
    });
    running.push(process);
    return process;
  };
  /** A counter of the process's /metrics (0 when it has no such series). */
  const autoAnswersRun = async (process: ServiceProcess) => {
    const text = await (await fetch(`${process.url}/metrics`, { headers: { authorization: `Bearer ${testEnv.metricsToken}` } })).text();
    const line = text.split('\n').find((l) => l.startsWith('scheduler_jobs_total{') && l.includes('kind="call.auto-answer"'));
    return line ? Number(line.split(' ').at(-1)) : 0;
  };

  beforeAll(async () => {
    db = await createTestDatabase('roles');
  });

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop('SIGTERM')));
    await db?.drop();
  });

  it('the api process offers the call, the timers process auto-answers it, once', async () => {
    const api = await start('api');
    const timers = await start('timers');
    const tenant = await play.tenant();
    const agent = await play.agent(tenant.tenantId);

    const { callId, status } = (await api.http.post('/calls/inbound', { caller: '5550100', dialed: '4001' }, tenant.gateway)).body;
    // Offered at once, or queued until the api process has heard of the agent (the agent's events are consumed meanwhile).
    expect(['offered', 'queued']).toContain(status);
    await eventually(async () =>
      expect((await api.http.get(`/calls/${callId}`, tenant.admin)).body).toMatchObject({
        status: 'talking',
        agentId: agent.agentId,
        answeredBy: 'auto-answer',
      }),
    );
    const published = await collect(`${prefix}softphone.call.events`, (all) =>
      all.some((m) => m.key === `call-${callId}` && m.value.includes('"call.connected"')),
    );
    expect(published.filter((m) => m.key === `call-${callId}` && m.value.includes('"call.connected"'))).toHaveLength(1);
    expect([await autoAnswersRun(api), await autoAnswersRun(timers)]).toEqual([0, 1]);
    // The timers process serves no API (only /health and /metrics).
    expect((await timers.http.get(`/calls/${callId}`, tenant.admin)).status).toBe(404);
  });

  it('a process with an unknown role does not start, and says why', async () => {
    await expect(start('everything')).rejects.toThrow(/CALL_SVC_ROLE/);
  });
});
