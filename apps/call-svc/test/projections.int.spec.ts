import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { projectionSpec, recordedEvents, type ProjectionSpec } from '@softphone/service-testing';
import { AgentLinesProjection } from '../src/agent-lines/agent-lines.projection.js';
import { CallsProjection } from '../src/calls/calls.projection.js';
import { DirectoryProjection } from '../src/directory/directory.projection.js';
import { CallSvc1732400030000 } from '../src/migrations/1732400030000-call-svc.js';
import { CallSvcAvailability1732400030001 } from '../src/migrations/1732400030001-call-svc-availability.js';
import { CallSvcRoutableAgents1732400030002 } from '../src/migrations/1732400030002-call-svc-routable-agents.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

/** An inbound call offered, auto-answered, given back to its queue, offered again, confirmed, muted and hung up. */
const callHistory = recordedEvents(
  't1',
  [
    { type: 'call.arrived', data: { callId: 'c1', caller: '5550100', dialed: '4001', media: 'voice', at: at(0) } },
    { type: 'call.queued', data: { callId: 'c1', skillQueueId: 'q1', via: 'access-code', ivrId: null, announcementEndsAt: null } },
    { type: 'call.offered', data: { callId: 'c1', agentId: 'a1', phoneId: 1, skillQueueId: 'q1', autoAnswerDueAt: at(4), at: at(2) } },
    {
      type: 'call.connected',
      data: { callId: 'c1', agentId: 'a1', phoneId: 1, direction: 'inbound', answeredBy: 'auto-answer', media: 'voice', at: at(4) },
    },
    { type: 'call.requeued', data: { callId: 'c1', agentId: 'a1', skillQueueId: 'q1', reason: 'agent-not-responding', at: at(9) } },
    { type: 'call.offered', data: { callId: 'c1', agentId: 'a2', phoneId: 2, skillQueueId: 'q1', autoAnswerDueAt: at(12), at: at(10) } },
    {
      type: 'call.connected',
      data: { callId: 'c1', agentId: 'a2', phoneId: 2, direction: 'inbound', answeredBy: 'auto-answer', media: 'voice', at: at(12) },
    },
    { type: 'call.media-confirmed', data: { callId: 'c1', agentId: 'a2', at: at(13) } },
    {
      type: 'call.media-changed',
      data: { callId: 'c1', change: 'muted', media: { mode: 'voice', muted: true, cameraOn: false, screenShare: null } },
    },
    {
      type: 'call.ended',
      data: { callId: 'c1', agentId: 'a2', direction: 'inbound', endedBy: 'agent', reason: 'hang-up', talkSeconds: 8, totalSeconds: 20 },
    },
    { type: 'call.placed', data: { callId: 'c2', agentId: 'a3', phoneId: 1, from: '88003', to: '5550199', media: 'video', at: at(21) } },
    { type: 'call.agent-answered', data: { callId: 'c2', agentId: 'a3' } },
  ],
  'call-c1',
);

/** Agent a1's line: a call, not responding, made available; a second call, wrap-up ended early. */
const lineHistory = recordedEvents(
  't1',
  [
    { type: 'call.agent-line-reserved', data: { agentId: 'a1', callId: 'c1' } },
    { type: 'call.agent-line-released', data: { agentId: 'a1', callId: 'c1' } },
    { type: 'call.agent-not-responding', data: { agentId: 'a1', callId: 'c1', reason: 'auto-answer-unconfirmed' } },
    { type: 'call.agent-made-available', data: { agentId: 'a1', by: 'admin' } },
    { type: 'call.agent-line-reserved', data: { agentId: 'a1', callId: 'c2' } },
    { type: 'call.agent-line-released', data: { agentId: 'a1', callId: 'c2' } },
    { type: 'call.agent-wrap-up-started', data: { agentId: 'a1', callId: 'c2', until: at(60) } },
    { type: 'call.agent-wrap-up-ended', data: { agentId: 'a1', callId: 'c2', endedBy: 'agent' } },
    { type: 'call.agent-line-reserved', data: { agentId: 'a2', callId: 'c3' } },
  ],
  'agent-line-a1',
);

/** What call-svc keeps of agent-svc's and tenant-svc's events. */
const directoryHistory = recordedEvents('t1', [
  { type: 'tenant.skill-queue-created', data: { skillQueueId: 'q1', name: 'Voice', mediaType: 'voice', accessCode: '4001' } },
  { type: 'tenant.skill-queue-created', data: { skillQueueId: 'q2', name: 'Chat', mediaType: 'chat', accessCode: '4002' } },
  { type: 'tenant.ivr-created', data: { ivrId: 'i1', name: 'Welcome', accessCode: '4003', announcementSeconds: 3, skillQueueId: 'q1' } },
  { type: 'tenant.call-handling-changed', data: { tenantId: 't1', autoAnswerGuardSeconds: 8, ringTimeoutSeconds: 20, wrapUpSeconds: 15 } },
  {
    type: 'agent.created',
    data: { agentId: 'a1', orgUnitId: 'ou1', name: 'Ann', workNumber: '1', softphoneNumber: '88001', authMode: 'uap' },
  },
  { type: 'agent.skill-queues-bound', data: { agentId: 'a1', skillQueueIds: ['q1'], voiceRelatedSkillQueueIds: ['q1'] } },
  { type: 'agent.signed-in', data: { agentId: 'a1' } },
  {
    type: 'agent.softphone-registration-requested',
    data: {
      agentId: 'a1',
      credentialId: 'k1',
      trigger: 'sign-in',
      phones: [
        { phoneId: 1, number: '88001', gatewayId: 'g1', gatewayAddress: 'gw1:443' },
        { phoneId: 2, number: '88001', gatewayId: 'g2', gatewayAddress: 'gw2:443' },
      ],
    },
  },
  { type: 'agent.softphone-registered', data: { agentId: 'a1', phoneId: 1 } },
  { type: 'agent.softphone-registration-failed', data: { agentId: 'a1', phoneId: 2, reason: 'timeout' } },
  { type: 'agent.softphone-unreachable', data: { agentId: 'a1', lastHeartbeatAt: at(5) } },
  {
    type: 'agent.created',
    data: { agentId: 'a2', orgUnitId: 'ou1', name: 'Bob', workNumber: '2', softphoneNumber: '88002', authMode: 'uap' },
  },
  { type: 'agent.signed-in', data: { agentId: 'a2' } },
  {
    type: 'agent.softphone-registration-requested',
    data: {
      agentId: 'a2',
      credentialId: 'k2',
      trigger: 'sign-in',
      phones: [{ phoneId: 1, number: '88002', gatewayId: 'g1', gatewayAddress: 'gw1:443' }],
    },
  },
  { type: 'agent.softphone-registered', data: { agentId: 'a2', phoneId: 1 } },
  { type: 'agent.softphone-deregistered', data: { agentId: 'a2', phoneId: 1, reason: 'gateway restart' } },
  { type: 'agent.softphones-unregistered', data: { agentId: 'a2', reason: 'sign-out' } },
  { type: 'agent.signed-out', data: { agentId: 'a2' } },
  {
    type: 'agent.created',
    data: { agentId: 'a3', orgUnitId: 'ou1', name: 'Cid', workNumber: '3', softphoneNumber: '88003', authMode: 'uap' },
  },
  { type: 'agent.skill-queues-bound', data: { agentId: 'a3', skillQueueIds: ['q1', 'q2'], voiceRelatedSkillQueueIds: ['q1'] } },
  { type: 'agent.signed-in', data: { agentId: 'a3' } },
  {
    type: 'agent.softphone-registration-requested',
    data: {
      agentId: 'a3',
      credentialId: 'k3',
      trigger: 'sign-in',
      phones: [
        { phoneId: 1, number: '88003', gatewayId: 'g1', gatewayAddress: 'gw1:443' },
        { phoneId: 2, number: '88003', gatewayId: 'g2', gatewayAddress: 'gw2:443' },
      ],
    },
  },
  { type: 'agent.softphone-registered', data: { agentId: 'a3', phoneId: 2 } },
  { type: 'tenant.pool-mode-changed', data: { tenantId: 't1', poolMode: false } },
  { type: 'agent.softphone-registered', data: { agentId: 'a3', phoneId: 1 } },
]);

describe("call-svc's read models: rebuilt from the log as live operation wrote them; the directory applied twice as once", () => {
  let spec: ProjectionSpec;

  beforeAll(async () => {
    spec = await projectionSpec({
      migrations: [CallSvc1732400030000, CallSvcAvailability1732400030001, CallSvcRoutableAgents1732400030002],
      tables: ['calls_view', 'agent_lines', 'agents', 'routable_agents', 'destinations', 'tenant_settings'],
    });
  });
  afterAll(() => spec?.close());

  it('calls_view', async () => {
    const model = await spec.expectRebuildable(new CallsProjection(), callHistory);
    expect(model.calls_view).toMatchObject([
      {
        call_id: 'c1',
        status: 'ended',
        agent_id: 'a2',
        phone_id: 2,
        requeue_reason: 'agent-not-responding',
        queue_key: `0|${at(1)}|c1`,
        media: { muted: true },
        talk_seconds: 8,
      },
      { call_id: 'c2', status: 'ringing-customer', agent_id: 'a3', direction: 'outbound' },
    ]);
  });

  it('agent_lines', async () => {
    const model = await spec.expectRebuildable(new AgentLinesProjection(), lineHistory);
    expect(model.agent_lines).toEqual([
      {
        agent_id: 'a1',
        call_id: null,
        free_since: `${at(7).slice(0, 19)}+00:00`,
        state: { callId: null, wrapUp: null, notResponding: null },
        free: true,
      },
      { agent_id: 'a2', call_id: 'c3', free_since: null, state: { callId: 'c3', wrapUp: null, notResponding: null }, free: false },
    ]);
  });

  it('the directory of agents, destinations and tenant settings', async () => {
    const model = await spec.expectIdempotent(new DirectoryProjection(), directoryHistory);
    expect(model.agents).toEqual([
      {
        agent_id: 'a1',
        tenant_id: 't1',
        softphone_number: '88001',
        signed_in: true,
        // A failed phone stays what it is (pool mode's end lets phone 2 go).
        phones: { 1: 'registered' },
        skill_queue_ids: ['q1'],
        softphone_reachable: false,
        routable_queue_ids: [],
      },
      {
        agent_id: 'a2',
        tenant_id: 't1',
        softphone_number: '88002',
        signed_in: false,
        phones: {},
        skill_queue_ids: [],
        softphone_reachable: true,
        routable_queue_ids: [],
      },
      {
        agent_id: 'a3',
        tenant_id: 't1',
        softphone_number: '88003',
        signed_in: true,
        // Pool mode's end let phone 2 go: not routable until phone 1 registered.
        phones: { 1: 'registered' },
        skill_queue_ids: ['q1', 'q2'],
        softphone_reachable: true,
        routable_queue_ids: ['q1', 'q2'],
      },
    ]);
    // The index of routable agents: a3 alone (a1's softphone is unreachable, a2 signed out), never on a call yet.
    expect(model.routable_agents).toEqual([
      { tenant_id: 't1', skill_queue_id: 'q1', agent_id: 'a3', free_since: null },
      { tenant_id: 't1', skill_queue_id: 'q2', agent_id: 'a3', free_since: null },
    ]);
    expect(model.destinations.map((d) => (d as { access_code: string; voice_related: boolean }).voice_related)).toEqual([
      true,
      false,
      true,
    ]);
    expect(model.tenant_settings).toEqual([
      { tenant_id: 't1', auto_answer_guard_seconds: 8, ring_timeout_seconds: 20, wrap_up_seconds: 15 },
    ]);
  });
});
