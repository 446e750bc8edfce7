import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { DomainEvent } from '@softphone/contracts';
import { projectionSpec, recordedEvents, type ProjectionSpec } from '@softphone/service-testing';
import { DirectoryFactsProjection } from '../src/directory/directory-facts.projection.js';
import { ManagerMessagesProjection } from '../src/manager-messages/manager-messages.projection.js';
import { CallQuality1732400040000 } from '../src/migrations/1732400040000-call-quality.js';
import { Directory1732400040001 } from '../src/migrations/1732400040001-directory.js';
import { ManagerMessages1732400040002 } from '../src/migrations/1732400040002-manager-messages.js';
import { ManagerMessagesV21732400040020 } from '../src/migrations/1732400040020-manager-messages-v2.js';

const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute)).toISOString();
const managerId = 'm1';
const loss = { reason: 'loss', kind: 'audio', side: 'agent-receive', value: 0.04 } as const;
const metrics = { lossRate: 0.04, jitterMs: 2, oneWayDelayMs: 15, mos: 3.2 };
const alert = (messageId: string, callId: string, minute: number) => ({
  messageId,
  managerId,
  orgUnitId: 'ou1',
  callId,
  agentId: 'a1',
  level: 'poor' as const,
  second: at(minute),
  reasons: [loss],
  metrics,
  notifiedAt: at(minute),
});
const held = (alertId: string, callId: string, minute: number, due: number) => {
  const { messageId: _id, metrics: _metrics, notifiedAt: _at, ...rest } = alert(alertId, callId, minute);
  return { type: 'quality.manager-alert-held', data: { alertId, ...rest, heldAt: at(minute), digestDueAt: at(due) } } as const;
};

/** One manager's messages: a v1 alert (no reasons), alerts held, the digest, a v2 alert, one held again, read, mailed. */
const messagesHistory = (() => {
  const events = recordedEvents(
    't1',
    [
      { type: 'quality.manager-notified', data: alert('00000000-0000-4000-8000-000000000001', 'c1', 0) },
      held('00000000-0000-4000-8000-000000000002', 'c2', 10, 60),
      held('00000000-0000-4000-8000-000000000003', 'c3', 20, 60),
      {
        type: 'quality.manager-digest-notified',
        data: {
          messageId: 'd1',
          managerId,
          hourStart: at(0),
          hourEnd: at(60),
          poorCalls: 2,
          level: 'poor',
          agents: [{ agentId: 'a1', poorCalls: 2 }],
          worstReasons: [{ ...loss, callId: 'c2', agentId: 'a1' }],
          notifiedAt: at(60),
        },
      },
      { type: 'quality.manager-notified', data: alert('00000000-0000-4000-8000-000000000004', 'c4', 125) },
      held('00000000-0000-4000-8000-000000000005', 'c5', 130, 185),
      { type: 'quality.manager-message-read', data: { messageId: 'd1', managerId } },
      { type: 'quality.manager-message-mailed', data: { messageId: 'd1', managerId, to: 'mia@acme.test' } },
    ] as DomainEvent[],
    `manager-inbox-t1:${managerId}`,
  );
  // The first was stored before v2: no reasons.
  const { reasons: _reasons, ...v1 } = events[0].data as Record<string, unknown>;
  events[0] = { ...events[0], schemaVersion: 1, data: v1 } as (typeof events)[number];
  return events;
})();

/** What quality-svc keeps of tenant-svc's, agent-svc's and call-svc's events. */
const directoryHistory = recordedEvents('t1', [
  {
    type: 'tenant.parameters-changed',
    data: { tenantId: 't1', notifyOuManagersOnPoorNetwork: true, softphoneUnifiedAuthentication: false },
  },
  { type: 'tenant.org-unit-created', data: { orgUnitId: 'root', name: 'Root', parentOrgUnitId: null } },
  { type: 'tenant.org-unit-manager-assigned', data: { orgUnitId: 'root', manager: { managerId, name: 'Mia', email: 'mia@acme.test' } } },
  // The manager may come before the unit (another partition): either order.
  {
    type: 'tenant.org-unit-manager-assigned',
    data: { orgUnitId: 'team', manager: { managerId: 'm2', name: 'Max', email: 'max@acme.test' } },
  },
  { type: 'tenant.org-unit-created', data: { orgUnitId: 'team', name: 'Team', parentOrgUnitId: 'root' } },
  {
    type: 'agent.created',
    data: { agentId: 'a1', orgUnitId: 'team', name: 'Ann', workNumber: '1001', softphoneNumber: '+3312345678', authMode: 'uap' },
  },
  {
    type: 'call.placed',
    data: { callId: 'c1', agentId: 'a1', phoneId: 1, from: '80001', to: '5551234', media: 'voice', at: at(0) },
  },
  {
    type: 'call.ended',
    data: { callId: 'c1', agentId: null, direction: 'outbound', endedBy: 'agent', reason: 'hang-up', talkSeconds: 1, totalSeconds: 2 },
  },
]);

describe("quality-svc's read models: rebuilt from the log as live operation wrote them; other services' facts applied twice as once", () => {
  let spec: ProjectionSpec;

  beforeAll(async () => {
    spec = await projectionSpec({
      migrations: [CallQuality1732400040000, Directory1732400040001, ManagerMessages1732400040002, ManagerMessagesV21732400040020],
      tables: ['manager_messages', 'manager_digests_due', 'calls', 'agents', 'org_units', 'tenant_parameters'],
    });
  });
  afterAll(() => spec?.close());

  it("the managers' messages and their digests due", async () => {
    const model = await spec.expectRebuildable(new ManagerMessagesProjection(), messagesHistory);
    expect(model.manager_messages).toMatchObject([
      { message_id: '00000000-0000-4000-8000-000000000001', kind: 'alert', call_id: 'c1', reasons: [], digest: null },
      { message_id: '00000000-0000-4000-8000-000000000004', kind: 'alert', call_id: 'c4', reasons: [loss] },
      { message_id: 'd1', kind: 'digest', call_id: null, digest: { poorCalls: 2 }, mailed_to: 'mia@acme.test' },
    ]);
    expect(model.manager_messages[2]).toMatchObject({ read_at: expect.any(String), mailed_at: expect.any(String) });
    expect(model.manager_digests_due).toEqual([
      { tenant_id: 't1', manager_id: managerId, due_at: expect.stringMatching(/^2026-01-01T13:05:00/) },
    ]);
  });

  it('the directory: calls, agents, org units and managers, the tenant parameter', async () => {
    const model = await spec.expectIdempotent(new DirectoryFactsProjection(), directoryHistory);
    expect(model.calls).toEqual([{ tenant_id: 't1', call_id: 'c1', agent_id: 'a1', ended_at: expect.any(String) }]);
    expect(model.agents).toEqual([{ tenant_id: 't1', agent_id: 'a1', org_unit_id: 'team', name: 'Ann' }]);
    expect(model.org_units).toMatchObject([
      { org_unit_id: 'root', parent_org_unit_id: null, manager_id: managerId },
      { org_unit_id: 'team', parent_org_unit_id: 'root', manager_id: 'm2', name: 'Team' },
    ]);
    expect(model.tenant_parameters).toEqual([{ tenant_id: 't1', notify_ou_managers_on_poor_network: true }]);
  });
});
