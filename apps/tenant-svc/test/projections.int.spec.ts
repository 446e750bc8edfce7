import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { projectionSpec, recordedEvents, type ProjectionSpec } from '@softphone/service-testing';
import { AccessCodesProjection } from '../src/access-codes/access-codes.projection.js';
import { IvrsProjection } from '../src/ivrs/ivrs.projection.js';
import { TenantsView1732400010000 } from '../src/migrations/1732400010000-tenants-view.js';
import { OrgUnitsView1732400010001 } from '../src/migrations/1732400010001-org-units-view.js';
import { SkillQueuesView1732400010002 } from '../src/migrations/1732400010002-skill-queues-view.js';
import { IvrsView1732400010003 } from '../src/migrations/1732400010003-ivrs-view.js';
import { AccessCodes1732400010004 } from '../src/migrations/1732400010004-access-codes.js';
import { TenantCallHandling1732400010005 } from '../src/migrations/1732400010005-tenant-call-handling.js';
import { OrgUnitsProjection } from '../src/org-units/org-units.projection.js';
import { SkillQueuesProjection } from '../src/skill-queues/skill-queues.projection.js';
import { TenantsProjection } from '../src/tenants/tenants.projection.js';

const migrations = [
  TenantsView1732400010000,
  OrgUnitsView1732400010001,
  SkillQueuesView1732400010002,
  IvrsView1732400010003,
  AccessCodes1732400010004,
  TenantCallHandling1732400010005,
];

/** One tenant's whole life, every event type tenant-svc appends. */
const history = recordedEvents('t1', [
  { type: 'tenant.created', data: { tenantId: 't1', name: 'Acme', poolMode: false } },
  { type: 'tenant.pool-mode-changed', data: { tenantId: 't1', poolMode: true } },
  {
    type: 'tenant.webrtc-enabled',
    data: { tenantId: 't1', registrationServerType: 'webRTC', gateways: [{ gatewayId: 'g1', address: 'gw1:443' }] },
  },
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
    data: { tenantId: 't1', notifyOuManagersOnPoorNetwork: true, softphoneUnifiedAuthentication: false },
  },
  { type: 'tenant.call-handling-changed', data: { tenantId: 't1', autoAnswerGuardSeconds: 8, ringTimeoutSeconds: 20, wrapUpSeconds: 15 } },
  { type: 'tenant.suspended', data: { tenantId: 't1', reason: 'unpaid' } },
  { type: 'tenant.resumed', data: { tenantId: 't1' } },
  { type: 'tenant.org-unit-created', data: { orgUnitId: 'ou1', name: 'Sales', parentOrgUnitId: null } },
  { type: 'tenant.org-unit-created', data: { orgUnitId: 'ou2', name: 'Inbound', parentOrgUnitId: 'ou1' } },
  {
    type: 'tenant.org-unit-manager-assigned',
    data: { orgUnitId: 'ou2', manager: { managerId: 'm1', name: 'Mia', email: 'mia@acme.test' } },
  },
  { type: 'tenant.skill-queue-created', data: { skillQueueId: 'q1', name: 'Voice', mediaType: 'voice', accessCode: '1001' } },
  { type: 'tenant.ivr-created', data: { ivrId: 'i1', name: 'Welcome', accessCode: '2001', announcementSeconds: 5, skillQueueId: 'q1' } },
]);

describe("tenant-svc's read models rebuild from the log exactly as live operation wrote them", () => {
  let spec: ProjectionSpec;

  beforeAll(async () => {
    spec = await projectionSpec({
      migrations,
      tables: ['tenants_view', 'org_units_view', 'skill_queues_view', 'ivrs_view', 'access_codes'],
    });
  });
  afterAll(() => spec?.close());

  it('tenants_view', async () => {
    const model = await spec.expectRebuildable(new TenantsProjection(), history);
    expect(model.tenants_view).toMatchObject([
      {
        tenant_id: 't1',
        status: 'normal',
        pool_mode: true,
        webrtc_enabled: true,
        notify_ou_managers_on_poor_network: true,
        auto_answer_guard_seconds: 8,
        ring_timeout_seconds: 20,
        wrap_up_seconds: 15,
      },
    ]);
  });

  it('org_units_view', async () => {
    const model = await spec.expectRebuildable(new OrgUnitsProjection(), history);
    expect(model.org_units_view).toMatchObject([
      { org_unit_id: 'ou1', manager_id: null },
      { org_unit_id: 'ou2', parent_org_unit_id: 'ou1', manager_id: 'm1' },
    ]);
  });

  it('skill_queues_view, ivrs_view and access_codes', async () => {
    expect((await spec.expectRebuildable(new SkillQueuesProjection(), history)).skill_queues_view).toHaveLength(1);
    expect((await spec.expectRebuildable(new IvrsProjection(), history)).ivrs_view).toHaveLength(1);
    expect((await spec.expectRebuildable(new AccessCodesProjection(), history)).access_codes).toEqual([
      { tenant_id: 't1', access_code: '1001', kind: 'skill-queue', target_id: 'q1' },
      { tenant_id: 't1', access_code: '2001', kind: 'ivr', target_id: 'i1' },
    ]);
  });
});
