import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { peerCall } from '@softphone/browser-testing';
import { eventually } from '@softphone/testing';
import { BrowserSystem, expectText } from './browser-system.js';

/** 5 % loss and 200 ms each way, through the harness's UDP relay (the kernel here has no netem). */
const IMPAIRED = { loss: 0.05, delayMs: 200, jitterMs: 0 };

describe('an impaired call in Chromium (5 % loss, 200 ms each way)', () => {
  let sys: BrowserSystem;
  let context: BrowserContext;
  let page: Page;
  let opsContext: BrowserContext;
  let dashboard: Page;
  let tenantId: string;
  let agentId: string;
  let gateway: string;
  let admin: string;
  let manager: string;

  beforeAll(async () => {
    sys = await BrowserSystem.start('edge_impaired');
    ({ tenantId, admin, gateway } = await sys.webrtcTenant('Impaired'));
    // The guide: "Send internal messages when the WebRTC network is abnormal" is the tenant's choice; Yes here.
    const parameters = { notifyOuManagersOnPoorNetwork: true, softphoneUnifiedAuthentication: false };
    expect((await sys.tenant.put(`/tenants/${tenantId}/parameters`, parameters, admin)).status).toBe(200);
    manager = await sys.token({ subject: 'manager-1', role: 'ou-manager', tenantId });
    const { orgUnitId } = (await sys.tenant.post(`/tenants/${tenantId}/org-units`, { name: 'Support' }, admin)).body;
    const assigned = await sys.tenant.put(
      `/tenants/${tenantId}/org-units/${orgUnitId}/manager`,
      { managerId: 'manager-1', name: 'Mia Manager', email: 'mia@example.com' },
      admin,
    );
    expect(assigned.status).toBeLessThan(300);
    ({ agentId } = (
      await sys.agent.post(
        `/tenants/${tenantId}/agents`,
        { name: 'Ann Agent', orgUnitId, workNumber: '1001', softphoneNumber: '88001' },
        admin,
      )
    ).body);
    // A voice skill queue: what lets the agent use the WebRTC phone.
    const { skillQueueId } = (
      await sys.tenant.post(`/tenants/${tenantId}/skill-queues`, { name: 'Voice', mediaType: 'voice', accessCode: '4001' }, admin)
    ).body;
    await eventually(async () =>
      expect((await sys.agent.put(`/agents/${agentId}/skill-queues`, { skillQueueIds: [skillQueueId] }, admin)).status).toBe(200),
    );
    context = await sys.context();
    page = await sys.openPage(context, '/softphone/', await sys.token({ subject: agentId, role: 'agent', tenantId }));
    opsContext = await sys.context();
    dashboard = await sys.openPage(opsContext, '/dashboard/', admin);
  }, 180_000);

  afterAll(async () => {
    await opsContext?.close();
    await context?.close();
    await sys?.close();
  });

  it('turns Poor on the agent page and on the dashboard, and the OU manager gets exactly one internal message', async () => {
    await page.click('#sign-in');
    await page.waitForSelector('.phone[data-phone="1"][data-status="registered"]');
    sys.network = { toAgent: IMPAIRED, toPeer: IMPAIRED };
    await page.fill('#number', '5550100');
    await page.click('#dial-voice');
    await expectText(page, '#call .call-state', 'Your phone is ringing');
    await page.click('#answer');
    await expectText(page, '#call .call-state', "Ringing the customer's phone");
    const ends = sys.farEnds.length;
    const { body } = await sys.call.get(`/tenants/${tenantId}/calls?agentId=${agentId}&limit=1`, admin);
    const callId = ((body.calls ?? body) as { callId: string }[])[0].callId;
    expect((await sys.call.post(`/calls/${callId}/customer-answered`, {}, gateway)).status).toBe(200);
    await expectText(page, '#call .call-state', 'Talking');
    await eventually(() => expect(sys.farEnds.length).toBe(ends + 1));
    const end = sys.farEnds.at(-1)!;
    await peerCall(end.page, 'connected');
    await eventually(() => expect(end.relay.counters.toAgent.dropped).toBeGreaterThan(0));

    // The page's getStats reports go to quality-svc once a second; its measured seconds come back on the live channel.
    await expectText(page, '#level', 'Poor', 60_000);
    await expectText(dashboard, `#calls tr[data-call="${callId}"] .level`, 'Poor', 30_000);
    await expectText(dashboard, `figure.call-chart[data-call="${callId}"] .level`, 'Poor', 30_000);

    const inbox = async () => (await sys.quality.get('/inbox/messages', manager)).body as { callId: string }[];
    await eventually(async () => expect((await inbox()).map((m) => m.callId)).toEqual([callId]), 60_000);
    // Still exactly one after twenty more measured seconds of the same poor call (one message per alert, no repeats).
    const charted = `figure.call-chart[data-call="${callId}"]`;
    const chartedSeconds = async () => Number(await dashboard.getAttribute(charted, 'data-seconds'));
    const seconds = await chartedSeconds();
    await eventually(async () => expect(await chartedSeconds()).toBeGreaterThanOrEqual(Math.min(seconds + 20, 120)), 60_000, 500);
    expect((await inbox()).map((m) => m.callId)).toEqual([callId]);

    await page.click('#hang-up');
    await expectText(page, '#call .call-state', 'Call ended');
  }, 300_000);
});
