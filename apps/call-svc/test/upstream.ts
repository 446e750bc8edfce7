import { randomUUID } from 'node:crypto';
import type { DomainEvent } from '@softphone/contracts';
import { tokenFor } from '@softphone/service-testing';
import { expect } from '@jest/globals';
import pg from 'pg';
import { eventually, publishUpstream } from '@softphone/testing';

/**
 * Plays tenant-svc and agent-svc on a test file's topics: the events call-svc
 * routes by. `databaseUrl`: call-svc's database, to wait until it consumed them.
 */
export function upstream(prefix: string, databaseUrl: () => string) {
  /** Waits until call-svc's directory holds what the query counts. */
  const consumed = (query: string, params: unknown[], expected: number) =>
    eventually(async () => {
      const client = new pg.Client({ connectionString: databaseUrl() });
      await client.connect();
      try {
        expect(Number((await client.query<{ n: string }>(query, params)).rows[0].n)).toBe(expected);
      } finally {
        await client.end();
      }
    });

  const versions = new Map<string, number>();
  const play = (tenantId: string, streamId: string, ...events: DomainEvent[]) =>
    publishUpstream(
      prefix,
      events.map((event) => {
        const streamVersion = (versions.get(streamId) ?? 0) + 1;
        versions.set(streamId, streamVersion);
        return { event, tenantId, streamId, streamVersion };
      }),
    );

  return {
    /** A tenant with a voice queue (access code 4001) and an IVR (4002, announcement `announcementSeconds`) to it. */
    async tenant(announcementSeconds = 3) {
      const tenantId = randomUUID();
      await play(
        tenantId,
        `tenant-${tenantId}`,
        { type: 'tenant.skill-queue-created', data: { skillQueueId: 'q-voice', name: 'Voice', mediaType: 'voice', accessCode: '4001' } },
        {
          type: 'tenant.ivr-created',
          data: { ivrId: 'ivr-1', name: 'Welcome', accessCode: '4002', announcementSeconds, skillQueueId: 'q-voice' },
        },
      );
      await consumed('SELECT count(*) AS n FROM destinations WHERE tenant_id = $1', [tenantId], 2);
      return {
        tenantId,
        gateway: await tokenFor({ subject: 'gw1', role: 'gateway', tenantId }),
        admin: await tokenFor({ subject: 'adm', role: 'tenant-admin', tenantId }),
      };
    },

    /** An agent of the voice queue; `registered` signs it in with every phone (two in pool mode) registered. */
    async agent(tenantId: string, options: { softphoneNumber?: string; registered?: boolean; pool?: boolean; queues?: string[] } = {}) {
      const agentId = randomUUID();
      const stream = `agent-${agentId}`;
      const number = options.softphoneNumber ?? `88${Math.floor(Math.random() * 1e6)}`;
      await play(
        tenantId,
        stream,
        {
          type: 'agent.created',
          data: { agentId, orgUnitId: 'ou1', name: 'Ann', workNumber: '1001', softphoneNumber: number, authMode: 'uap' },
        },
        {
          type: 'agent.skill-queues-bound',
          data: { agentId, skillQueueIds: options.queues ?? ['q-voice'], voiceRelatedSkillQueueIds: options.queues ?? ['q-voice'] },
        },
      );
      const token = await tokenFor({ subject: agentId, role: 'agent', tenantId });
      const agent = { agentId, number, token, register: () => register(tenantId, agentId, number, options.pool ?? false) };
      if (options.registered !== false) await agent.register();
      return agent;
    },

    /** tenant-svc announces a skill queue (e.g. one created a moment ago, or a chat queue). */
    skillQueue: (tenantId: string, skillQueueId: string, accessCode: string, mediaType: 'voice' | 'chat' = 'voice') =>
      play(tenantId, `tenant-${tenantId}`, {
        type: 'tenant.skill-queue-created',
        data: { skillQueueId, name: skillQueueId, mediaType, accessCode },
      }),

    /** tenant-svc announces the tenant's call-handling parameters; resolves once call-svc holds them. */
    async callHandling(
      tenantId: string,
      parameters: { autoAnswerGuardSeconds: number; ringTimeoutSeconds: number; wrapUpSeconds: number },
    ) {
      await play(tenantId, `tenant-${tenantId}`, { type: 'tenant.call-handling-changed', data: { tenantId, ...parameters } });
      await consumed(
        'SELECT count(*) AS n FROM tenant_settings WHERE tenant_id = $1 AND wrap_up_seconds = $2 AND auto_answer_guard_seconds = $3 AND ring_timeout_seconds = $4',
        [tenantId, parameters.wrapUpSeconds, parameters.autoAnswerGuardSeconds, parameters.ringTimeoutSeconds],
        1,
      );
    },

    /** agent-svc reports a registration failure of one phone. */
    phoneFailed: (tenantId: string, agentId: string, phoneId: 1 | 2) =>
      play(tenantId, `agent-${agentId}`, { type: 'agent.softphone-registration-failed', data: { agentId, phoneId, reason: 'timeout' } }),

    /** agent-svc reports the agent's softphone stale (or reachable again). */
    softphone: (tenantId: string, agentId: string, reachable: boolean) =>
      play(
        tenantId,
        `agent-${agentId}`,
        reachable
          ? { type: 'agent.softphone-reachable', data: { agentId, heartbeatAt: new Date().toISOString() } }
          : { type: 'agent.softphone-unreachable', data: { agentId, lastHeartbeatAt: new Date().toISOString() } },
      ),

    /** tenant-svc turns CTI pool mode off, then agent-svc lets the agent's phone 2 go (call-svc may consume them in either order). */
    poolModeOff: async (tenantId: string, agentId: string) => {
      await play(tenantId, `tenant-${tenantId}`, { type: 'tenant.pool-mode-changed', data: { tenantId, poolMode: false } });
      await play(tenantId, `agent-${agentId}`, {
        type: 'agent.softphone-deregistered',
        data: { agentId, phoneId: 2, reason: 'CTI pool mode turned off' },
      });
    },

    /** The gateway reports that one of the agent's registered phones went down. */
    phoneLost: (tenantId: string, agentId: string, phoneId: 1 | 2) =>
      play(tenantId, `agent-${agentId}`, {
        type: 'agent.softphone-deregistered',
        data: { agentId, phoneId, reason: 'gateway lost the phone' },
      }),

    /** The agent signs out (its phones unregister). */
    signOut: (tenantId: string, agentId: string) =>
      play(
        tenantId,
        `agent-${agentId}`,
        { type: 'agent.softphones-unregistered', data: { agentId, reason: 'sign-out' } },
        { type: 'agent.signed-out', data: { agentId } },
      ),
  };

  function register(tenantId: string, agentId: string, number: string, pool: boolean) {
    const phones: Array<1 | 2> = pool ? [1, 2] : [1];
    return play(
      tenantId,
      `agent-${agentId}`,
      { type: 'agent.signed-in', data: { agentId } },
      {
        type: 'agent.softphone-registration-requested',
        data: {
          agentId,
          credentialId: randomUUID(),
          trigger: 'sign-in',
          phones: phones.map((phoneId) => ({ phoneId, number, gatewayId: `gw${phoneId}`, gatewayAddress: `wss://gw${phoneId}` })),
        },
      },
      ...phones.map((phoneId): DomainEvent => ({ type: 'agent.softphone-registered', data: { agentId, phoneId } })),
    );
  }
}
