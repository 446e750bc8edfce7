import { afterAll, beforeAll, expect } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import type { DomainEvent, Gateway } from '@softphone/contracts';
import { startTestService, tokenFor, type TestService } from '@softphone/service-testing';
import { collect, createTestDatabase, eventually, publishUpstream, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { AGENT_SERVICE, agentServiceModule } from '../src/agent-service.js';

export const gateways: Gateway[] = [
  { gatewayId: 'gw1', address: 'wss://gw1.example:8443' },
  { gatewayId: 'gw2', address: 'wss://gw2.example:8443' },
];

export interface TestTenant {
  tenantId: string;
  admin: string;
}

export interface TestAgent {
  agentId: string;
  token: string;
}

/**
 * agent-svc started for one test file (its own database and topic prefix), with
 * helpers that play tenant-svc and call-svc on Kafka and set up agents over REST.
 */
export function useAgentSvc(name: string, env: Record<string, string> = {}) {
  const prefix = uniqueTopicPrefix(name);
  let db: TestDatabase;
  let svc: TestService;
  const more: TestService[] = [];
  let version = 0;
  const start = (instanceId?: string) =>
    startTestService({ defaults: AGENT_SERVICE, module: agentServiceModule, database: db, topicPrefix: prefix, instanceId, env });

  beforeAll(async () => {
    db = await createTestDatabase(name);
    svc = await start();
  });

  afterAll(async () => {
    await Promise.all([svc, ...more].map((s) => s?.close()));
    await db?.drop();
  });

  const harness = {
    get http() {
      return svc.http;
    },

    /** The instance's Nest application (its providers). */
    get app() {
      return svc.app;
    },

    /** Another instance of agent-svc on the same database and topics (closed with the file). */
    async anotherInstance(instanceId: string): Promise<TestService> {
      const instance = await start(instanceId);
      more.push(instance);
      return {
        ...instance,
        close: async () => {
          more.splice(more.indexOf(instance), 1);
          await instance.close();
        },
      };
    },

    /** Plays tenant-svc: the org unit of a tenant. */
    orgUnit: (tenantId: string, orgUnitId: string) =>
      harness.tenantEvents(tenantId, { type: 'tenant.org-unit-created', data: { orgUnitId, name: orgUnitId, parentOrgUnitId: null } }),

    /** Plays tenant-svc: its events for one tenant, in order. */
    tenantEvents: (tenantId: string, ...events: DomainEvent[]) =>
      publishUpstream(
        prefix,
        events.map((event) => ({ event, tenantId, streamId: `tenant-${tenantId}`, streamVersion: ++version })),
      ),

    /** Plays call-svc: events of calls of the tenant. */
    callEvents: (tenantId: string, ...events: DomainEvent[]) =>
      publishUpstream(
        prefix,
        events.map((event) => ({ event, tenantId, streamId: `call-${randomUUID()}`, streamVersion: 1 })),
      ),

    /** A tenant with WebRTC on `tenantGateways` (or without WebRTC) and one voice and one chat queue, once agent-svc has consumed them. */
    async webRtcTenant(poolMode: boolean, tenantGateways = poolMode ? gateways : [gateways[0]], webRtc = true): Promise<TestTenant> {
      const tenantId = randomUUID();
      const enabled: DomainEvent[] = webRtc
        ? [{ type: 'tenant.webrtc-enabled', data: { tenantId, registrationServerType: 'webRTC', gateways: tenantGateways } }]
        : [];
      await harness.tenantEvents(
        tenantId,
        { type: 'tenant.created', data: { tenantId, name: 'T', poolMode } },
        ...enabled,
        { type: 'tenant.skill-queue-created', data: { skillQueueId: 'voice-q', name: 'Voice', mediaType: 'voice', accessCode: '4001' } },
        { type: 'tenant.skill-queue-created', data: { skillQueueId: 'chat-q', name: 'Chat', mediaType: 'chat', accessCode: '4002' } },
        { type: 'tenant.org-unit-created', data: { orgUnitId: 'ou1', name: 'Support', parentOrgUnitId: null } },
      );
      const admin = await tokenFor({ subject: 'adm', role: 'tenant-admin', tenantId });
      // The org unit and the queues are known (and the events before them applied) once a probe agent can be created in one and bound to them.
      const probe = await eventually(async () => {
        const created = await svc.http.post(
          `/tenants/${tenantId}/agents`,
          { name: 'Probe', orgUnitId: 'ou1', workNumber: '1', softphoneNumber: '88000' },
          admin,
        );
        expect(created.status).toBe(201);
        return created.body;
      });
      await eventually(async () =>
        expect((await svc.http.put(`/agents/${probe.agentId}/skill-queues`, { skillQueueIds: ['voice-q', 'chat-q'] }, admin)).status).toBe(
          200,
        ),
      );
      return { tenantId, admin };
    },

    /** A UAP agent of the tenant bound to `queues`, and its token. */
    async agentIn(tenant: TestTenant, queues = ['voice-q'], orgUnitId = 'ou1'): Promise<TestAgent> {
      const workNumber = String(Math.floor(Math.random() * 1e9));
      const created = await svc.http.post(
        `/tenants/${tenant.tenantId}/agents`,
        { name: 'Ann', orgUnitId, workNumber, softphoneNumber: '88001' },
        tenant.admin,
      );
      expect(created.status).toBe(201);
      const { agentId } = created.body;
      expect((await svc.http.put(`/agents/${agentId}/skill-queues`, { skillQueueIds: queues }, tenant.admin)).status).toBe(200);
      return { agentId, token: await tokenFor({ subject: agentId, role: 'agent', tenantId: tenant.tenantId }) };
    },

    /** An agent signed in with phone 1 registered (not in pool mode). */
    async registeredAgentIn(tenant: TestTenant): Promise<TestAgent> {
      const agent = await harness.agentIn(tenant);
      expect((await svc.http.post(`/agents/${agent.agentId}/sign-in`, {}, agent.token)).body.credentials).toHaveLength(1);
      expect(
        (await svc.http.post(`/agents/${agent.agentId}/phones/1/registration-result`, { outcome: 'registered' }, agent.token)).body
          .registered,
      ).toBe(true);
      return agent;
    },

    /** The agent's events published on Kafka, once there are at least `count`. */
    async publishedFor(agentId: string, count: number): Promise<Array<{ id: string; type: string; data: Record<string, unknown> }>> {
      const mine = (messages: Array<{ key: string | null; value: string }>) => messages.filter((m) => m.key === `agent-${agentId}`);
      const published = await collect(`${prefix}softphone.agent.events`, (m) => mine(m).length >= count);
      return mine(published).map((m) => JSON.parse(m.value));
    },
  };
  return harness;
}
