import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startTestService, tokenFor, type TestService } from '@softphone/service-testing';
import { collect, createTestDatabase, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { TENANT_SERVICE, tenantServiceModule } from '../src/tenant-service.js';

describe('tenant-svc: org units over REST', () => {
  let db: TestDatabase;
  let svc: TestService;
  const prefix = uniqueTopicPrefix('org_units');
  let sysadmin: string;

  const newTenant = async (name: string) => {
    const { body } = await svc.http.post('/tenants', { name }, sysadmin);
    const admin = await tokenFor({ subject: `adm-${name}`, role: 'tenant-admin', tenantId: body.tenantId });
    return { tenantId: body.tenantId as string, admin };
  };

  beforeAll(async () => {
    db = await createTestDatabase('org_units');
    svc = await startTestService({ defaults: TENANT_SERVICE, module: tenantServiceModule, database: db, topicPrefix: prefix });
    sysadmin = await tokenFor({ subject: 'root', role: 'system-admin', tenantId: 'system' });
  });

  afterAll(async () => {
    await svc?.close();
    await db?.drop();
  });

  it('builds a tree, assigns and replaces a manager, shows it to an OU manager, and publishes the events', async () => {
    const { tenantId, admin } = await newTenant('Acme');
    const root = await svc.http.post(`/tenants/${tenantId}/org-units`, { name: 'Customer care' }, admin);
    expect(root.status).toBe(201);
    expect(root.body).toMatchObject({ tenantId, name: 'Customer care', parent: null, manager: null });

    const child = await svc.http.post(`/tenants/${tenantId}/org-units`, { name: 'Hotline', parentOrgUnitId: root.body.orgUnitId }, admin);
    expect(child.status).toBe(201);
    expect(child.body.parent).toEqual({ orgUnitId: root.body.orgUnitId, name: 'Customer care' });

    const path = `/tenants/${tenantId}/org-units/${child.body.orgUnitId}/manager`;
    const mia = { managerId: 'm-mia', name: 'Mia', email: 'mia@acme.example' };
    expect((await svc.http.put(path, mia, admin)).body.manager).toEqual(mia);
    const noah = { managerId: 'm-noah', name: 'Noah', email: 'noah@acme.example' };
    expect((await svc.http.put(path, noah, sysadmin)).body.manager).toEqual(noah);
    expect((await svc.http.put(path, noah, admin)).status).toBe(200);

    const manager = await tokenFor({ subject: 'm-noah', role: 'ou-manager', tenantId });
    const list = await svc.http.get(`/tenants/${tenantId}/org-units`, manager);
    expect(list.status).toBe(200);
    expect(list.body).toEqual([
      expect.objectContaining({ orgUnitId: root.body.orgUnitId, parent: null, manager: null }),
      expect.objectContaining({
        orgUnitId: child.body.orgUnitId,
        parent: { orgUnitId: root.body.orgUnitId, name: 'Customer care' },
        manager: noah,
      }),
    ]);
    expect((await svc.http.get(`/tenants/${tenantId}/org-units/${child.body.orgUnitId}`, manager)).body.manager).toEqual(noah);
    const agent = await tokenFor({ subject: 'a1', role: 'agent', tenantId });
    expect((await svc.http.get(`/tenants/${tenantId}/org-units`, agent)).body).toMatchObject({ status: 403, code: 'AUTH_ROLE_FORBIDDEN' });
    expect((await svc.http.put(path, mia, manager)).body).toMatchObject({ status: 403, code: 'AUTH_ROLE_FORBIDDEN' });

    const mine = (m: { key: string | null }) => m.key?.startsWith(`org-unit-${tenantId}:`) ?? false;
    const messages = await collect(`${prefix}softphone.tenant.events`, (all) => all.filter(mine).length >= 4);
    // Kafka keeps each unit's events in order (the key is its stream).
    const streamOf = (orgUnitId: string) =>
      messages.filter((m) => m.key === `org-unit-${tenantId}:${orgUnitId}`).map((m) => JSON.parse(m.value));
    expect(streamOf(root.body.orgUnitId).map((e) => [e.type, e.tenantId])).toEqual([['tenant.org-unit-created', tenantId]]);
    expect(streamOf(child.body.orgUnitId).map((e) => [e.type, e.tenantId, e.data])).toEqual([
      ['tenant.org-unit-created', tenantId, { orgUnitId: child.body.orgUnitId, name: 'Hotline', parentOrgUnitId: root.body.orgUnitId }],
      ['tenant.org-unit-manager-assigned', tenantId, { orgUnitId: child.body.orgUnitId, manager: mia }],
      ['tenant.org-unit-manager-assigned', tenantId, { orgUnitId: child.body.orgUnitId, manager: noah }],
    ]);
  });

  it('keeps sibling names unique (case-insensitively), also when two admins create the same unit at once', async () => {
    const { tenantId, admin } = await newTenant('Siblings');
    const { body: sales } = await svc.http.post(`/tenants/${tenantId}/org-units`, { name: 'Sales' }, admin);
    expect((await svc.http.post(`/tenants/${tenantId}/org-units`, { name: 'sales' }, admin)).body).toMatchObject({
      status: 409,
      code: 'ORG_UNIT_NAME_TAKEN',
      field: 'name',
    });
    expect((await svc.http.post(`/tenants/${tenantId}/org-units`, { name: 'Sales', parentOrgUnitId: sales.orgUnitId }, admin)).status).toBe(
      201,
    );

    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        svc.http.post(`/tenants/${tenantId}/org-units`, { name: 'Support', parentOrgUnitId: sales.orgUnitId }, admin),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.code === 'ORG_UNIT_NAME_TAKEN')).toBe(true);
    const { body: units } = await svc.http.get(`/tenants/${tenantId}/org-units`, admin);
    expect(units.filter((u: { name: string }) => u.name === 'Support')).toHaveLength(1);
  });

  it('answers 400 naming the field, 404 for unknown ids and for other tenants, and writes nothing', async () => {
    const mine = await newTenant('Mine');
    const theirs = await newTenant('Theirs');
    const { body: theirUnit } = await svc.http.post(`/tenants/${theirs.tenantId}/org-units`, { name: 'Theirs' }, theirs.admin);
    const units = `/tenants/${mine.tenantId}/org-units`;

    expect((await svc.http.post(units, { name: '  ' }, mine.admin)).body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'name',
    });
    expect((await svc.http.post(units, { name: 'X', color: 'red' }, mine.admin)).body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
    });
    expect((await svc.http.post(units, '{"name":', mine.admin)).body).toMatchObject({ status: 400, code: 'INVALID_JSON' });
    expect((await svc.http.post(units, { name: 'X', parentOrgUnitId: 'no such/unit' }, mine.admin)).body).toMatchObject({
      status: 400,
      field: 'parentOrgUnitId',
    });
    expect((await svc.http.get(`${units}/bad%20id`, mine.admin)).body).toMatchObject({ status: 400, field: 'orgUnitId' });
    expect((await svc.http.get('/tenants/bad%20id/org-units', sysadmin)).body).toMatchObject({ status: 400, field: 'tenantId' });
    const { body: unit } = await svc.http.post(units, { name: 'Mine' }, mine.admin);
    const manager = `${units}/${unit.orgUnitId}/manager`;
    expect((await svc.http.put(manager, { managerId: 'm1', name: 'Mia', email: 'not-an-address' }, mine.admin)).body).toMatchObject({
      status: 400,
      field: 'email',
    });
    expect((await svc.http.put(manager, { managerId: 'm1', email: 'mia@x.example' }, mine.admin)).body).toMatchObject({
      status: 400,
      field: 'name',
    });

    // A parent of another tenant does not exist in this one.
    expect((await svc.http.post(units, { name: 'Child', parentOrgUnitId: theirUnit.orgUnitId }, mine.admin)).body).toMatchObject({
      status: 404,
      code: 'ORG_UNIT_NOT_FOUND',
      field: 'parentOrgUnitId',
    });
    const mia = { managerId: 'm1', name: 'Mia', email: 'mia@x.example' };
    expect((await svc.http.put(`${units}/${theirUnit.orgUnitId}/manager`, mia, sysadmin)).body).toMatchObject({
      status: 404,
      code: 'ORG_UNIT_NOT_FOUND',
    });
    expect((await svc.http.get(`${units}/${theirUnit.orgUnitId}`, sysadmin)).body).toMatchObject({
      status: 404,
      code: 'ORG_UNIT_NOT_FOUND',
    });
    expect((await svc.http.put(`${units}/nope/manager`, mia, mine.admin)).body).toMatchObject({ status: 404, code: 'ORG_UNIT_NOT_FOUND' });

    // A tenant admin does not see another tenant at all.
    const theirUnits = `/tenants/${theirs.tenantId}/org-units`;
    expect((await svc.http.get(theirUnits, mine.admin)).body).toMatchObject({ status: 404, code: 'TENANT_NOT_FOUND' });
    expect((await svc.http.get(`${theirUnits}/${theirUnit.orgUnitId}`, mine.admin)).body).toMatchObject({
      status: 404,
      code: 'TENANT_NOT_FOUND',
    });
    expect((await svc.http.post(theirUnits, { name: 'Intruder' }, mine.admin)).body).toMatchObject({
      status: 404,
      code: 'TENANT_NOT_FOUND',
    });
    expect((await svc.http.put(`${theirUnits}/${theirUnit.orgUnitId}/manager`, mia, mine.admin)).status).toBe(404);
    expect((await svc.http.post('/tenants/nope/org-units', { name: 'X' }, sysadmin)).body).toMatchObject({
      status: 404,
      code: 'TENANT_NOT_FOUND',
    });
    expect((await svc.http.get('/tenants/nope/org-units', sysadmin)).body).toMatchObject({ status: 404, code: 'TENANT_NOT_FOUND' });
    expect((await svc.http.post(units, { name: 'X' })).body).toMatchObject({ status: 401, code: 'AUTH_TOKEN_MISSING' });

    expect((await svc.http.get(units, mine.admin)).body.map((u: { name: string }) => u.name)).toEqual(['Mine']);
    expect((await svc.http.get(theirUnits, theirs.admin)).body).toEqual([expect.objectContaining({ name: 'Theirs', manager: null })]);
  });
});
