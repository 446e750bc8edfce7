import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { startTestService, tokenFor, type TestService } from '@softphone/service-testing';
import { createTestDatabase, eventually, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { QUALITY_SERVICE, qualityServiceModule } from '../src/quality-service.js';
import { SmtpRelay } from './smtp-relay.js';
import { goPoor, mailTo, poorCall, uniqueId, upstream } from './support.js';

describe('quality-svc: a mail outage delays the mail of an internal message, and loses nothing', () => {
  let db: TestDatabase;
  let svc: TestService;
  let relay: SmtpRelay;
  const prefix = uniqueTopicPrefix('outage');
  const tenantId = uniqueId('tenant');
  const tenant = upstream(prefix, tenantId);
  const manager = { managerId: uniqueId('mgr'), email: `outage-${randomUUID()}@example.com` };

  beforeAll(async () => {
    db = await createTestDatabase('outage');
    relay = await SmtpRelay.onFreePort();
    svc = await startTestService({
      defaults: QUALITY_SERVICE,
      module: qualityServiceModule,
      database: db,
      topicPrefix: prefix,
      env: { SMTP_URL: `smtp://127.0.0.1:${relay.port}` },
    });
  });

  afterAll(async () => {
    await svc?.close();
    await relay?.close();
    await db?.drop();
  });

  it('keeps the message in the inbox while SMTP is down and mails it once SMTP is back', async () => {
    const agentId = uniqueId('agent');
    const callId = uniqueId('call');
    await tenant.parameters(true);
    await tenant.orgUnit('sales', null, manager);
    await tenant.agent(agentId, 'sales');
    await tenant.connected(callId, agentId);
    const admin = await tokenFor({ subject: 'admin', role: 'tenant-admin', tenantId });
    await eventually(async () => {
      expect((await svc.http.get(`/tenants/${tenantId}/quality/dashboard?agentId=${agentId}&orgUnitId=sales`, admin)).status).toBe(200);
      expect((await svc.http.get(`/calls/${callId}/quality`, admin)).body.agentId).toBe(agentId);
    });

    await goPoor(svc, tenantId, poorCall(callId, agentId, new Date(Date.now() - 2_000)));
    const managerToken = await tokenFor({ subject: manager.managerId, role: 'ou-manager', tenantId });
    const [message] = await eventually(async () => {
      const messages = (await svc.http.get('/inbox/messages', managerToken)).body;
      expect(messages).toHaveLength(1);
      return messages;
    });
    expect(message).toMatchObject({ callId, agentId, level: 'poor', mailedAt: null });

    // Attempts at 0, 1 and 3 s fail while the relay is closed.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(await mailTo(manager.email)).toEqual([]);
    expect((await svc.http.get(`/inbox/messages/${message.messageId}`, managerToken)).body.mailedAt).toBeNull();

    await relay.open();
    await eventually(
      async () => expect((await svc.http.get(`/inbox/messages/${message.messageId}`, managerToken)).body.mailedAt).not.toBeNull(),
      40_000,
    );
    const mail = await mailTo(manager.email);
    expect(mail).toHaveLength(1);
    expect(mail[0].subject).toBe(message.subject);
    expect(mail[0].headers['message-id']).toBe(`<${message.messageId}@quality-svc>`);
  });
});
