import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { PostgresEventStore } from '@softphone/event-store';
import { startTestService, tokenFor, type TestService } from '@softphone/service-testing';
import { collect, createTestDatabase, uniqueTopicPrefix, type CollectedMessage, type TestDatabase } from '@softphone/testing';
import { skillQueueDecider, skillQueueStream } from '../src/skill-queues/skill-queue.decider.js';
import { TENANT_SERVICE, tenantServiceModule } from '../src/tenant-service.js';

describe('tenant-svc: skill queues, IVR access codes and access code resolution over REST', () => {
  let db: TestDatabase;
  let svc: TestService;
  const prefix = uniqueTopicPrefix('access_codes');
  let sysadmin: string;

  const newTenant = async (name: string) => {
    const { body } = await svc.http.post('/tenants', { name }, sysadmin);
    const admin = await tokenFor({ subject: `adm-${name}`, role: 'tenant-admin', tenantId: body.tenantId });
    return { tenantId: body.tenantId as string, admin };
  };
  type Published = { type: string; tenantId: string; data: Record<string, unknown> };
  /** The tenant's events on Kafka, once at least `count` arrived. */
  const publishedEvents = async (tenantId: string, count: number): Promise<Published[]> => {
    const ofTenant = (messages: CollectedMessage[]) =>
      messages.map((m) => JSON.parse(m.value) as Published).filter((e) => e.tenantId === tenantId);
    return ofTenant(await collect(`${prefix}softphone.tenant.events`, (messages) => ofTenant(messages).length >= count));
  };
  /** What the store (the outbox) holds: every event it has will be published. */
  const storedAccessCodes = async (tenantId: string) => {
    const rows = await svc.app
      .get(PostgresEventStore)
      .sql.rows<{ code: string }>(
        `SELECT data->>'accessCode' AS code FROM es_events WHERE tenant_id = $1 AND type IN ('tenant.skill-queue-created', 'tenant.ivr-created')`,
        [tenantId],
      );
    return rows.map((r) => r.code).sort();
  };

  beforeAll(async () => {
    db = await createTestDatabase('access_codes');
    svc = await startTestService({ defaults: TENANT_SERVICE, module: tenantServiceModule, database: db, topicPrefix: prefix });
    sysadmin = await tokenFor({ subject: 'root', role: 'system-admin', tenantId: 'system' });
  });

  afterAll(async () => {
    await svc?.close();
    await db?.drop();
  });

  it('creates skill queues and IVRs, resolves their access codes, and publishes the events', async () => {
    const { tenantId, admin } = await newTenant('Acme');
    const voice = await svc.http.post(
      `/tenants/${tenantId}/skill-queues`,
      { name: 'Support', mediaType: 'voice', accessCode: '1001' },
      admin,
    );
    expect(voice.status).toBe(201);
    expect(voice.body).toMatchObject({ tenantId, name: 'Support', mediaType: 'voice', voiceRelated: true, accessCode: '1001' });
    const chat = await svc.http.post(
      `/tenants/${tenantId}/skill-queues`,
      { name: 'Chat', mediaType: 'chat', accessCode: '1002' },
      sysadmin,
    );
    expect(chat.body).toMatchObject({ mediaType: 'chat', voiceRelated: false });

    const ivr = await svc.http.post(
      `/tenants/${tenantId}/ivrs`,
      { name: 'Welcome', accessCode: '2001', announcementSeconds: 7.5, skillQueueId: voice.body.skillQueueId },
      admin,
    );
    expect(ivr.status).toBe(201);
    expect(ivr.body).toMatchObject({
      tenantId,
      accessCode: '2001',
      announcementSeconds: 7.5,
      skillQueue: { skillQueueId: voice.body.skillQueueId, name: 'Support', mediaType: 'voice' },
    });

    expect((await svc.http.get(`/tenants/${tenantId}/skill-queues`, admin)).body.map((q: { accessCode: string }) => q.accessCode)).toEqual([
      '1001',
      '1002',
    ]);
    expect((await svc.http.get(`/tenants/${tenantId}/skill-queues/${chat.body.skillQueueId}`, admin)).body).toEqual(chat.body);
    expect((await svc.http.get(`/tenants/${tenantId}/ivrs`, admin)).body).toEqual([ivr.body]);
    expect((await svc.http.get(`/tenants/${tenantId}/ivrs/${ivr.body.ivrId}`, admin)).body).toEqual(ivr.body);

    expect((await svc.http.get(`/tenants/${tenantId}/access-codes/1001`, admin)).body).toEqual({
      accessCode: '1001',
      kind: 'skill-queue',
      ivr: null,
      skillQueue: voice.body,
    });
    expect((await svc.http.get(`/tenants/${tenantId}/access-codes/2001`, admin)).body).toEqual({
      accessCode: '2001',
      kind: 'ivr',
      ivr: ivr.body,
      skillQueue: voice.body,
    });
    expect((await svc.http.get(`/tenants/${tenantId}/access-codes/9999`, admin)).body).toMatchObject({
      status: 404,
      code: 'ACCESS_CODE_NOT_FOUND',
    });

    const events = await publishedEvents(tenantId, 4);
    expect(events.map((e) => e.type).sort()).toEqual([
      'tenant.created',
      'tenant.ivr-created',
      'tenant.skill-queue-created',
      'tenant.skill-queue-created',
    ]);
    const dataOf = (type: string, accessCode: string) => events.find((e) => e.type === type && e.data.accessCode === accessCode)?.data;
    expect(dataOf('tenant.skill-queue-created', '1001')).toEqual({
      skillQueueId: voice.body.skillQueueId,
      name: 'Support',
      mediaType: 'voice',
      accessCode: '1001',
    });
    expect(dataOf('tenant.ivr-created', '2001')).toEqual({
      ivrId: ivr.body.ivrId,
      name: 'Welcome',
      accessCode: '2001',
      announcementSeconds: 7.5,
      skillQueueId: voice.body.skillQueueId,
    });
  });

  it('keeps an access code unique in the tenant across skill queues and IVRs, and free in other tenants', async () => {
    const { tenantId, admin } = await newTenant('Unique');
    const other = await newTenant('Other');
    const { body: queue } = await svc.http.post(
      `/tenants/${tenantId}/skill-queues`,
      { name: 'Q', mediaType: 'video', accessCode: '3001' },
      admin,
    );
    const taken = { status: 409, code: 'ACCESS_CODE_TAKEN', field: 'accessCode' };
    expect(
      (await svc.http.post(`/tenants/${tenantId}/skill-queues`, { name: 'Q2', mediaType: 'voice', accessCode: '3001' }, admin)).body,
    ).toMatchObject(taken);
    const ivr = { name: 'I', announcementSeconds: 3, skillQueueId: queue.skillQueueId };
    expect((await svc.http.post(`/tenants/${tenantId}/ivrs`, { ...ivr, accessCode: '3001' }, admin)).body).toMatchObject(taken);
    expect((await svc.http.post(`/tenants/${tenantId}/ivrs`, { ...ivr, accessCode: '3002' }, admin)).status).toBe(201);
    expect(
      (await svc.http.post(`/tenants/${tenantId}/skill-queues`, { name: 'Q3', mediaType: 'voice', accessCode: '3002' }, admin)).body,
    ).toMatchObject(taken);
    expect(
      (await svc.http.post(`/tenants/${other.tenantId}/skill-queues`, { name: 'Q', mediaType: 'voice', accessCode: '3001' }, other.admin))
        .status,
    ).toBe(201);
    expect((await svc.http.get(`/tenants/${tenantId}/skill-queues`, admin)).body).toHaveLength(1);
    expect((await svc.http.get(`/tenants/${tenantId}/ivrs`, admin)).body).toHaveLength(1);
  });

  it('gives a contested access code to exactly one of simultaneous creates, and publishes only its event', async () => {
    const { tenantId, admin } = await newTenant('Race');
    const { body: target } = await svc.http.post(
      `/tenants/${tenantId}/skill-queues`,
      { name: 'Target', mediaType: 'voice', accessCode: '4000' },
      admin,
    );
    const codes = ['4001', '4002', '4003'];
    const attempts = codes.flatMap((accessCode) => [
      svc.http.post(`/tenants/${tenantId}/skill-queues`, { name: `Q ${accessCode} a`, mediaType: 'voice', accessCode }, admin),
      svc.http.post(`/tenants/${tenantId}/skill-queues`, { name: `Q ${accessCode} b`, mediaType: 'video', accessCode }, admin),
      svc.http.post(
        `/tenants/${tenantId}/ivrs`,
        { name: `I ${accessCode}`, accessCode, announcementSeconds: 5, skillQueueId: target.skillQueueId },
        admin,
      ),
    ]);
    const results = await Promise.all(attempts);
    for (const [i] of codes.entries()) {
      const forCode = results.slice(i * 3, i * 3 + 3);
      expect(forCode.map((r) => r.status).sort()).toEqual([201, 409, 409]);
      expect(forCode.filter((r) => r.status === 409).map((r) => r.body.code)).toEqual(['ACCESS_CODE_TAKEN', 'ACCESS_CODE_TAKEN']);
    }
    for (const accessCode of codes) {
      const winner = results.find((r) => r.status === 201 && r.body.accessCode === accessCode)!.body;
      const resolved = (await svc.http.get(`/tenants/${tenantId}/access-codes/${accessCode}`, admin)).body;
      expect(resolved.ivr?.ivrId ?? resolved.skillQueue.skillQueueId).toBe(winner.ivrId ?? winner.skillQueueId);
    }

    expect(await storedAccessCodes(tenantId)).toEqual(['4000', ...codes]);
    const events = await publishedEvents(tenantId, 1 + 1 + codes.length);
    expect(
      events
        .filter((e) => e.type !== 'tenant.created')
        .map((e) => e.data.accessCode)
        .sort(),
    ).toEqual(['4000', ...codes]);
  });

  it('leaves the race the check did not see to the access_codes primary key, as the same 409', async () => {
    const { tenantId } = await newTenant('Unseen');
    const store = svc.app.get(PostgresEventStore);
    let arrived = 0;
    let release!: () => void;
    const bothLooked = new Promise<void>((resolve) => (release = resolve));
    // Both transactions take their snapshot (and would see the code free), then both append.
    const create = (skillQueueId: string) =>
      store.transaction(async (uow) => {
        await uow.sql.rows('SELECT 1 FROM access_codes WHERE tenant_id = $1', [tenantId]);
        if (++arrived === 2) release();
        await bothLooked;
        const command = {
          type: 'CreateSkillQueue' as const,
          skillQueueId,
          name: skillQueueId,
          mediaType: 'voice' as const,
          accessCode: '5001',
          accessCodeHolder: null,
        };
        await uow.decide(skillQueueStream(tenantId, skillQueueId), skillQueueDecider, command, { tenantId, correlationId: 'race' });
      });
    const outcomes = await Promise.allSettled([create('sq-a'), create('sq-b')]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
    const failure = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(failure.reason).toMatchObject({ status: 409, code: 'ACCESS_CODE_TAKEN', field: 'accessCode' });
    expect(await storedAccessCodes(tenantId)).toEqual(['5001']);
  });

  it('refuses an IVR whose skill queue is not voice-related (422) or not in the tenant (404)', async () => {
    const { tenantId, admin } = await newTenant('Ivr');
    const other = await newTenant('IvrOther');
    const { body: email } = await svc.http.post(
      `/tenants/${tenantId}/skill-queues`,
      { name: 'Mail', mediaType: 'email', accessCode: '6001' },
      admin,
    );
    const { body: foreign } = await svc.http.post(
      `/tenants/${other.tenantId}/skill-queues`,
      { name: 'V', mediaType: 'voice', accessCode: '6002' },
      other.admin,
    );
    const ivr = { name: 'I', accessCode: '6100', announcementSeconds: 4 };
    expect((await svc.http.post(`/tenants/${tenantId}/ivrs`, { ...ivr, skillQueueId: email.skillQueueId }, admin)).body).toMatchObject({
      status: 422,
      code: 'IVR_SKILL_QUEUE_NOT_VOICE_RELATED',
      field: 'skillQueueId',
    });
    expect((await svc.http.post(`/tenants/${tenantId}/ivrs`, { ...ivr, skillQueueId: foreign.skillQueueId }, admin)).body).toMatchObject({
      status: 404,
      code: 'SKILL_QUEUE_NOT_FOUND',
      field: 'skillQueueId',
    });
    expect((await svc.http.get(`/tenants/${tenantId}/ivrs`, admin)).body).toEqual([]);
    expect((await svc.http.get(`/tenants/${tenantId}/access-codes/6100`, admin)).body).toMatchObject({
      status: 404,
      code: 'ACCESS_CODE_NOT_FOUND',
    });
  });

  it('answers 400 naming the field, 404 for unknown ids and other tenants, 403 for other roles', async () => {
    const mine = await newTenant('Mine');
    const theirs = await newTenant('Theirs');
    const { body: theirQueue } = await svc.http.post(
      `/tenants/${theirs.tenantId}/skill-queues`,
      { name: 'T', mediaType: 'voice', accessCode: '7001' },
      theirs.admin,
    );
    const queues = `/tenants/${mine.tenantId}/skill-queues`;
    const ivrs = `/tenants/${mine.tenantId}/ivrs`;
    const queue = { name: 'Q', mediaType: 'voice', accessCode: '7002' };

    expect((await svc.http.post(queues, { ...queue, mediaType: 'fax' }, mine.admin)).body).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      field: 'mediaType',
    });
    expect((await svc.http.post(queues, { ...queue, accessCode: '12a' }, mine.admin)).body).toMatchObject({
      status: 400,
      field: 'accessCode',
    });
    expect((await svc.http.post(queues, { ...queue, accessCode: 7002 }, mine.admin)).body).toMatchObject({
      status: 400,
      field: 'accessCode',
    });
    expect((await svc.http.post(queues, { mediaType: 'voice', accessCode: '7002' }, mine.admin)).body).toMatchObject({
      status: 400,
      field: 'name',
    });
    const { body: own } = await svc.http.post(queues, queue, mine.admin);
    const ivr = { name: 'I', accessCode: '7003', announcementSeconds: 4, skillQueueId: own.skillQueueId };
    expect((await svc.http.post(ivrs, { ...ivr, announcementSeconds: -1 }, mine.admin)).body).toMatchObject({
      status: 400,
      field: 'announcementSeconds',
    });
    expect((await svc.http.post(ivrs, { ...ivr, announcementSeconds: '4' }, mine.admin)).body).toMatchObject({
      status: 400,
      field: 'announcementSeconds',
    });
    expect((await svc.http.post(ivrs, { ...ivr, skillQueueId: undefined }, mine.admin)).body).toMatchObject({
      status: 400,
      field: 'skillQueueId',
    });
    expect((await svc.http.get(`/tenants/${mine.tenantId}/access-codes/abc`, mine.admin)).body).toMatchObject({
      status: 400,
      field: 'accessCode',
    });

    expect((await svc.http.get(`${queues}/nope`, mine.admin)).body).toMatchObject({ status: 404, code: 'SKILL_QUEUE_NOT_FOUND' });
    expect((await svc.http.get(`${ivrs}/nope`, mine.admin)).body).toMatchObject({ status: 404, code: 'IVR_NOT_FOUND' });
    expect((await svc.http.get(`${queues}/${theirQueue.skillQueueId}`, sysadmin)).body).toMatchObject({
      status: 404,
      code: 'SKILL_QUEUE_NOT_FOUND',
    });
    expect((await svc.http.get(`/tenants/${mine.tenantId}/access-codes/7001`, sysadmin)).body).toMatchObject({
      status: 404,
      code: 'ACCESS_CODE_NOT_FOUND',
    });
    for (const path of ['skill-queues', `skill-queues/${theirQueue.skillQueueId}`, 'ivrs', 'access-codes/7001']) {
      expect((await svc.http.get(`/tenants/${theirs.tenantId}/${path}`, mine.admin)).body).toMatchObject({
        status: 404,
        code: 'TENANT_NOT_FOUND',
      });
    }
    expect(
      (await svc.http.post(`/tenants/${theirs.tenantId}/skill-queues`, { ...queue, accessCode: '7009' }, mine.admin)).body,
    ).toMatchObject({
      status: 404,
      code: 'TENANT_NOT_FOUND',
    });
    expect((await svc.http.post('/tenants/nope/skill-queues', queue, sysadmin)).body).toMatchObject({
      status: 404,
      code: 'TENANT_NOT_FOUND',
    });
    expect((await svc.http.post('/tenants/nope/ivrs', ivr, sysadmin)).body).toMatchObject({ status: 404, code: 'TENANT_NOT_FOUND' });
    expect((await svc.http.get('/tenants/nope/ivrs', sysadmin)).body).toMatchObject({ status: 404, code: 'TENANT_NOT_FOUND' });

    const manager = await tokenFor({ subject: 'm1', role: 'ou-manager', tenantId: mine.tenantId });
    const agent = await tokenFor({ subject: 'a1', role: 'agent', tenantId: mine.tenantId });
    expect((await svc.http.get(queues, manager)).body).toMatchObject({ status: 403, code: 'AUTH_ROLE_FORBIDDEN' });
    expect((await svc.http.post(ivrs, ivr, agent)).body).toMatchObject({ status: 403, code: 'AUTH_ROLE_FORBIDDEN' });

    expect((await svc.http.get(queues, mine.admin)).body).toEqual([own]);
    expect((await svc.http.get(`/tenants/${theirs.tenantId}/skill-queues`, theirs.admin)).body).toEqual([theirQueue]);
  });
});
