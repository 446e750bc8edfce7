import type { INestApplication } from '@nestjs/common';
import type { Role } from '@softphone/auth';
import { provisionTestKafka, serviceSecurityEnv, testEnv, testToken, type UpstreamEvent } from '@softphone/testing';
import { startEdge } from '../src/edge-app.js';
import { loadEdgeConfig, type EdgeConfig } from '../src/edge-config.js';

export const PARTITIONS = 3;

/** Provisions the event topics (3 partitions, so positions have several entries) and the ACLs of a test file. */
export async function createTopics(prefix: string): Promise<void> {
  await provisionTestKafka(prefix, testEnv.kafkaBrokers, PARTITIONS);
}

export interface RunningEdge {
  app: INestApplication;
  url: string;
  liveUrl: string;
  config: EdgeConfig;
}

/** An edge instance in-process on a free port, reading the test file's topics. */
export async function startTestEdge(
  prefix: string,
  instance: string,
  env: Record<string, string> = {},
  adjust: (config: EdgeConfig) => void = () => undefined,
): Promise<RunningEdge> {
  const config = loadEdgeConfig({
    ...process.env,
    ...(await serviceSecurityEnv('edge-svc')),
    PORT: '0',
    KAFKA_TOPIC_PREFIX: prefix,
    KAFKA_PARTITIONS: String(PARTITIONS),
    INSTANCE_ID: instance,
    LOG_LEVEL: 'warn',
    ...env,
  });
  adjust(config);
  const app = await startEdge(config);
  const { port } = (app.getHttpServer() as { address(): { port: number } }).address();
  return { app, url: `http://127.0.0.1:${port}`, liveUrl: `ws://127.0.0.1:${port}/live`, config };
}

export const token = (role: Role, tenantId: string, subject: string, ttlSeconds?: number) =>
  testToken({ role, tenantId, subject }, ttlSeconds);

let version = 0;
const up = (tenantId: string, streamId: string, event: UpstreamEvent['event']): UpstreamEvent => ({
  tenantId,
  streamId,
  streamVersion: ++version,
  event,
});

/** Contract-valid events of the other services, as their relays publish them. */
export const upstream = {
  orgUnit: (t: string, orgUnitId: string) =>
    up(t, `tenant-${t}`, { type: 'tenant.org-unit-created', data: { orgUnitId, name: `OU ${orgUnitId}`, parentOrgUnitId: null } }),
  manager: (t: string, orgUnitId: string, managerId: string) =>
    up(t, `tenant-${t}`, {
      type: 'tenant.org-unit-manager-assigned',
      data: { orgUnitId, manager: { managerId, name: `Manager ${managerId}`, email: `${managerId}@example.com` } },
    }),
  agent: (t: string, agentId: string, orgUnitId: string) =>
    up(t, `agent-${agentId}`, {
      type: 'agent.created',
      data: {
        agentId,
        orgUnitId,
        name: `<b>${agentId}</b>`,
        workNumber: String(1000 + (version % 9000)),
        softphoneNumber: '80001',
        authMode: 'uap',
      },
    }),
  signedIn: (t: string, agentId: string) => up(t, `agent-${agentId}`, { type: 'agent.signed-in', data: { agentId } }),
  placed: (t: string, callId: string, agentId: string) =>
    up(t, `call-${callId}`, {
      type: 'call.placed',
      data: { callId, agentId, phoneId: 1, from: '80001', to: '5551234', media: 'voice', at: new Date().toISOString() },
    }),
  muted: (t: string, callId: string) =>
    up(t, `call-${callId}`, {
      type: 'call.media-changed',
      data: { callId, change: 'muted', media: { mode: 'voice', muted: true, cameraOn: false, screenShare: null } },
    }),
  ended: (t: string, callId: string, agentId: string) =>
    up(t, `call-${callId}`, {
      type: 'call.ended',
      data: { callId, agentId, direction: 'outbound', endedBy: 'agent', reason: 'hang-up', talkSeconds: 1, totalSeconds: 2 },
    }),
  notified: (t: string, managerId: string, orgUnitId: string, callId: string, agentId: string) =>
    up(t, `inbox-${managerId}`, {
      type: 'quality.manager-notified',
      data: {
        messageId: `m-${callId}-${managerId}`,
        managerId,
        orgUnitId,
        callId,
        agentId,
        level: 'poor',
        second: new Date().toISOString(),
        reasons: [{ reason: 'loss', kind: 'audio', side: 'agent-receive', value: 0.05 }],
        metrics: { lossRate: 0.05, jitterMs: 30, oneWayDelayMs: 200, mos: 2.1 },
        notifiedAt: new Date().toISOString(),
      },
    }),
  waiting: (t: string, callId: string) =>
    up(t, `call-${callId}`, {
      type: 'call.arrived',
      data: { callId, caller: '5550000', dialed: '1000', media: 'voice', at: new Date().toISOString() },
    }),
};
