import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { projectionSpec, recordedEvents, type ProjectionSpec } from '@softphone/service-testing';
import { AgentsProjection } from '../src/agents/agents.projection.js';
import { TenantFactsProjection } from '../src/directory/tenant-facts.projection.js';
import { AgentSvc1732400020000 } from '../src/migrations/1732400020000-agent-svc.js';
import { AgentSvcAvailability1732400020001 } from '../src/migrations/1732400020001-agent-svc-availability.js';
import { AgentSvcViewVersion1732400020002 } from '../src/migrations/1732400020002-agent-svc-view-version.js';

const agentId = 'a1';
const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();

/** One agent's life, every event type agent-svc appends. */
const agentHistory = recordedEvents(
  't1',
  [
    {
      type: 'agent.created',
      data: { agentId, orgUnitId: 'ou1', name: 'Ann', workNumber: '1001', softphoneNumber: '88001', authMode: 'uap' },
    },
    { type: 'agent.phone-bound', data: { agentId, kind: 'mobile', number: '5550100' } },
    { type: 'agent.phone-unbound', data: { agentId } },
    { type: 'agent.skill-queues-bound', data: { agentId, skillQueueIds: ['q1', 'q2'], voiceRelatedSkillQueueIds: ['q1'] } },
    { type: 'agent.auth-mode-changed', data: { agentId, authMode: 'unified' } },
    { type: 'agent.signed-in', data: { agentId } },
    {
      type: 'agent.softphone-registration-requested',
      data: {
        agentId,
        credentialId: 'k1',
        trigger: 'sign-in',
        phones: [
          { phoneId: 1, number: '88001', gatewayId: 'g1', gatewayAddress: 'gw1:443' },
          { phoneId: 2, number: '88001', gatewayId: 'g2', gatewayAddress: 'gw2:443' },
        ],
      },
    },
    { type: 'agent.softphone-registered', data: { agentId, phoneId: 1 } },
    { type: 'agent.softphone-registration-failed', data: { agentId, phoneId: 2, reason: 'timeout' } },
    { type: 'agent.softphone-reachable', data: { agentId, heartbeatAt: at(10) } },
    { type: 'agent.softphone-unreachable', data: { agentId, lastHeartbeatAt: at(10) } },
    { type: 'agent.softphone-reachable', data: { agentId, heartbeatAt: at(50) } },
    { type: 'agent.became-ringing', data: { agentId, callId: 'c1' } },
    { type: 'agent.became-occupied', data: { agentId, callId: 'c1' } },
    { type: 'agent.became-idle', data: { agentId, callId: 'c1' } },
    { type: 'agent.wrap-up-started', data: { agentId, callId: 'c1', until: at(90) } },
    { type: 'agent.wrap-up-ended', data: { agentId, callId: 'c1' } },
    { type: 'agent.became-ringing', data: { agentId, callId: 'c2' } },
    { type: 'agent.became-not-responding', data: { agentId, callId: 'c2', reason: 'auto-answer-unconfirmed' } },
    { type: 'agent.became-idle', data: { agentId, callId: 'c2' } },
    { type: 'agent.softphone-deregistered', data: { agentId, phoneId: 1, reason: 'gateway restart' } },
  ],
  `agent-${agentId}`,
);

/** What agent-svc keeps of tenant-svc's events (and ignores: managers). */
const tenantHistory = recordedEvents('t1', [
  { type: 'tenant.created', data: { tenantId: 't1', name: 'Acme', poolMode: false } },
  {
    type: 'tenant.webrtc-enabled',
    data: { tenantId: 't1', registrationServerType: 'webRTC', gateways: [{ gatewayId: 'g1', address: 'gw1:443' }] },
  },
  { type: 'tenant.pool-mode-changed', data: { tenantId: 't1', poolMode: true } },
  {
    type: 'tenant.webrtc-gateways-changed',
    data: {
      tenantId: 't1',
      gateways: [
        { gatewayId: 'g1', address: 'gw1:443' },
        { gatewayId: 'g2', address: 'gw2:443' },
      ],
    },
  },
  {
    type: 'tenant.parameters-changed',
    data: { tenantId: 't1', notifyOuManagersOnPoorNetwork: true, softphoneUnifiedAuthentication: true },
  },
  { type: 'tenant.suspended', data: { tenantId: 't1', reason: null } },
  { type: 'tenant.resumed', data: { tenantId: 't1' } },
  { type: 'tenant.org-unit-created', data: { orgUnitId: 'ou1', name: 'Sales', parentOrgUnitId: null } },
  {
    type: 'tenant.org-unit-manager-assigned',
    data: { orgUnitId: 'ou1', manager: { managerId: 'm1', name: 'Mia', email: 'mia@acme.test' } },
  },
  { type: 'tenant.skill-queue-created', data: { skillQueueId: 'q1', name: 'Voice', mediaType: 'voice', accessCode: '1001' } },
  { type: 'tenant.skill-queue-created', data: { skillQueueId: 'q2', name: 'Chat', mediaType: 'chat', accessCode: '1002' } },
  { type: 'tenant.webrtc-disabled', data: { tenantId: 't1' } },
]);

describe("agent-svc's read models: rebuilt from the log as live operation wrote them; facts of tenant-svc applied twice as once", () => {
  let spec: ProjectionSpec;

  beforeAll(async () => {
    spec = await projectionSpec({
      // Without the event store's tables: the version's backfill has nothing to read then.
      migrations: [AgentSvc1732400020000, AgentSvcAvailability1732400020001, AgentSvcViewVersion1732400020002],
      tables: ['agents_view', 'tenant_facts', 'skill_queues', 'org_units'],
    });
  });
  afterAll(() => spec?.close());

  it('agents_view', async () => {
    const model = await spec.expectRebuildable(new AgentsProjection(), agentHistory);
    expect(model.agents_view).toMatchObject([
      {
        agent_id: agentId,
        auth_mode: 'unified',
        bound_phone: null,
        voice_related: true,
        signed_in: true,
        phones: { 1: 'deregistered', 2: 'failed' },
        phone_failures: { 1: 'gateway restart', 2: 'timeout' },
        current_call_id: null,
        call_phase: null,
        wrap_up: null,
        not_responding: { callId: 'c2', reason: 'auto-answer-unconfirmed' },
        softphone_reachable: true,
        version: agentHistory.length,
      },
    ]);
  });

  it('tenant facts, skill queues and org units', async () => {
    const model = await spec.expectIdempotent(new TenantFactsProjection(), tenantHistory);
    expect(model.tenant_facts).toEqual([
      { tenant_id: 't1', status: 'normal', webrtc_enabled: false, gateways: [], pool_mode: true, softphone_unified_authentication: true },
    ]);
    expect(model.skill_queues).toEqual([
      { tenant_id: 't1', skill_queue_id: 'q1', media_type: 'voice' },
      { tenant_id: 't1', skill_queue_id: 'q2', media_type: 'chat' },
    ]);
    expect(model.org_units).toEqual([{ tenant_id: 't1', org_unit_id: 'ou1' }]);
  });
});
