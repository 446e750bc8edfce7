import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { peerCall } from '@softphone/browser-testing';
import { eventually, publishSeconds, publishUpstream } from '@softphone/testing';
import { BrowserSystem, expectText, screenshot } from './browser-system.js';
import { agentIn, measuredSeconds, type AgentState } from './busy-tenant.js';

/** Evaluated in the softphone page (these tests have no DOM types). */
const VIDEO_TILES = `(() => {
  const playing = (selector) => {
    const video = document.querySelector(selector);
    return (video.srcObject?.getVideoTracks().some((t) => t.readyState === 'live') ?? false) && video.videoWidth > 0;
  };
  const section = document.querySelector('#media');
  return { shown: !section.hidden && section.offsetHeight > 0, local: playing('#local-video'), remote: playing('#remote-video') };
})()`;

const AGENT_NAME = '<img src=x onerror="window.hacked=1">Ann & "Bob"';

describe('the agent softphone page and the ops dashboard in Chromium, with real WebRTC media', () => {
  let sys: BrowserSystem;
  let context: BrowserContext;
  let page: Page;
  let opsContext: BrowserContext;
  let dashboard: Page;
  let tenantId: string;
  let agentId: string;
  let gateway: string;
  let agent: string;
  let admin: string;
  let orgUnitId: string;
  let skillQueueId: string;
  const accessCode = '4001';

  beforeAll(async () => {
    sys = await BrowserSystem.start('edge_softphone');
    ({ tenantId, admin, gateway } = await sys.webrtcTenant('Browser'));
    ({ orgUnitId } = (await sys.tenant.post(`/tenants/${tenantId}/org-units`, { name: 'Support' }, admin)).body);
    ({ skillQueueId } = (
      await sys.tenant.post(`/tenants/${tenantId}/skill-queues`, { name: 'Voice', mediaType: 'voice', accessCode }, admin)
    ).body);
    ({ agentId } = (
      await sys.agent.post(
        `/tenants/${tenantId}/agents`,
        { name: AGENT_NAME, orgUnitId, workNumber: '1001', softphoneNumber: '88001' },
        admin,
      )
    ).body);
    agent = await sys.token({ subject: agentId, role: 'agent', tenantId });
    await eventually(async () =>
      expect((await sys.agent.put(`/agents/${agentId}/skill-queues`, { skillQueueIds: [skillQueueId] }, admin)).status).toBe(200),
    );
    context = await sys.context();
    page = await sys.openPage(context, '/softphone/', agent);
    opsContext = await sys.context();
    dashboard = await sys.openPage(opsContext, '/dashboard/', admin);
  }, 180_000);

  afterAll(async () => {
    await opsContext?.close();
    await context?.close();
    await sys?.close();
  });

  // A test that failed mid-call must not leave the next one a busy agent.
  afterEach(async () => {
    if (!(await page.isVisible('#hang-up'))) return;
    await page.click('#hang-up');
    await expectText(page, '#call .call-state', 'Call ended');
  });

  /** The agent's latest call, as call-svc has it. */
  const callView = async () => {
    const { body } = await sys.call.get(`/tenants/${tenantId}/calls?agentId=${agentId}&limit=1`, admin);
    return (body.calls ?? body)[0];
  };
  /** What the video tiles show: whether they are visible, and whether each has a playing video track. */
  const videoTiles = () => page.evaluate<{ shown: boolean; local: boolean; remote: boolean }>(VIDEO_TILES);
  /** The far end of the call that just started talking, once its media flows. */
  const farEndConnected = async (before: number) => {
    await eventually(async () => {
      const notice = await page.textContent('#notice');
      expect({ farEnds: sys.farEnds.length, notice, errors: sys.pageErrors }).toMatchObject({ farEnds: before + 1 });
    });
    const end = sys.farEnds.at(-1)!;
    await peerCall(end.page, 'connected');
    return end;
  };

  it('shows the agent, escaped, signs in and registers the phone', async () => {
    await expectText(page, '#bar .agent-name', AGENT_NAME);
    expect(await page.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined();
    await expectText(page, '#agent-state', 'signed out');
    await page.click('#sign-in');
    await page.waitForSelector('.phone[data-phone="1"][data-status="registered"]').catch(async (error: Error) => {
      throw new Error(`${error.message}; notice: ${await page.textContent('#notice')}; bar: ${await page.textContent('#bar')}`);
    });
    await expectText(page, '.phone[data-phone="1"]', 'Phone 1: registered');
    expect((await sys.agent.get(`/agents/${agentId}`, agent)).body).toMatchObject({ signedIn: true, registered: true });
    // The dashboard, open all along in another context, follows live.
    await dashboard.waitForSelector(`#agents tr[data-agent="${agentId}"][data-state="idle"]`);
    expect(await dashboard.textContent(`#agents tr[data-agent="${agentId}"]`)).toContain(AGENT_NAME);
    expect(await dashboard.evaluate(() => (globalThis as { hacked?: number }).hacked)).toBeUndefined();
  });

  it('places a voice call: rings, answered by the agent then the customer, real media, mute, hang up', async () => {
    await page.fill('#number', '5550100');
    await page.click('#dial-voice');
    await expectText(page, '#call .call-state', 'Your phone is ringing');
    await page.click('#answer');
    await expectText(page, '#call .call-state', "Ringing the customer's phone");
    const ends = sys.farEnds.length;
    const call = (await callView())!;
    expect((await sys.call.post(`/calls/${call.callId}/customer-answered`, {}, gateway)).status).toBe(200);
    await expectText(page, '#call .call-state', 'Talking');
    const end = await farEndConnected(ends);
    await eventually(() => expect(end.relay.counters.toAgent.forwarded).toBeGreaterThan(50));
    expect(await videoTiles()).toMatchObject({ shown: false });
    await page.click('#mute');
    await eventually(async () => expect((await callView())!.media.muted).toBe(true));
    await dashboard.waitForSelector(`#calls tr[data-call="${call.callId}"][data-status="talking"]`);
    await dashboard.waitForSelector(`#agents tr[data-agent="${agentId}"][data-state="occupied"]`);
    // Voice → video shows the tiles with the camera; video → voice hides them again.
    await page.click('#switch-media');
    await expectText(page, '#switch-media', 'Switch to voice');
    await eventually(async () => expect(await videoTiles()).toEqual({ shown: true, local: true, remote: true }));
    await page.click('#switch-media');
    await expectText(page, '#switch-media', 'Switch to video');
    await eventually(async () => expect(await videoTiles()).toMatchObject({ shown: false, local: false }));
    expect((await callView())!.media).toMatchObject({ mode: 'voice', muted: true });
    await page.click('#hang-up');
    await expectText(page, '#call .call-state', 'Call ended');
    await dashboard.waitForSelector(`#calls tr[data-call="${call.callId}"]`, { state: 'detached' });
  });

  it('places a video call and shares a browser tab', async () => {
    await page.click('#dial-video');
    await expectText(page, '#call .call-state', 'Your phone is ringing');
    await page.click('#answer');
    await expectText(page, '#call .call-state', "Ringing the customer's phone");
    const ends = sys.farEnds.length;
    await sys.call.post(`/calls/${(await callView())!.callId}/customer-answered`, {}, gateway);
    await expectText(page, '#call .call-state', 'Talking');
    await farEndConnected(ends);
    await eventually(async () => expect(await videoTiles()).toEqual({ shown: true, local: true, remote: true }));
    await page.selectOption('#share-surface', 'tab');
    await page.click('#share');
    await expectText(page, '#stop-share', 'tab');
    expect((await callView())!.media).toMatchObject({ mode: 'video', screenShare: 'tab' });
    await page.click('#hang-up');
    await expectText(page, '#call .call-state', 'Call ended');
    expect(await videoTiles()).toMatchObject({ shown: false });
  });

  it('counts down an inbound call and answers it automatically after about 2 seconds', async () => {
    const ends = sys.farEnds.length;
    const arrived = await sys.call.post('/calls/inbound', { caller: '5550199', dialed: accessCode }, gateway);
    expect(arrived.status).toBe(201);
    await expectText(page, '#countdown', /Answering automatically in [0-2]\.\d s/);
    await expectText(page, '#call .call-state', 'Talking');
    const call = (await callView())!;
    const delay = Date.parse(call.connectedAt) - Date.parse(call.offeredAt);
    expect(delay).toBeGreaterThanOrEqual(1_900);
    expect(delay).toBeLessThan(3_000);
    await farEndConnected(ends);
    await page.click('#hang-up');
    await expectText(page, '#call .call-state', 'Call ended');
  });

  const otherAgent = (name: string, workNumber: string, state: AgentState) =>
    agentIn(sys, { tenantId, orgUnitId, skillQueueId, admin, gateway }, name, workNumber, state);

  it("shows a busy tenant live: agents in several states, each talking call's per-second chart, a manager's message", async () => {
    await otherAgent('Dana Signed-Out', '1002', 'signed-out');
    await otherAgent('Eve Idle', '1003', 'idle');
    await otherAgent('Finn Ringing', '1004', 'ringing');
    const gus = await otherAgent('Gus Talking', '1005', 'talking');
    const hana = await otherAgent('Hana Talking', '1006', 'talking');
    // The agent of the page in a video call with real media.
    await page.click('#dial-video');
    await page.click('#answer');
    await expectText(page, '#call .call-state', "Ringing the customer's phone");
    const ends = sys.farEnds.length;
    const call = (await callView())!;
    await sys.call.post(`/calls/${call.callId}/customer-answered`, {}, gateway);
    await expectText(page, '#call .call-state', 'Talking');
    await farEndConnected(ends);
    for (const id of [gus.callId, hana.callId, call.callId])
      await dashboard.waitForSelector(`#calls tr[data-call="${id}"][data-status="talking"]`);

    // quality-svc's measured seconds of the three calls (played here: the seconds topic, as quality-svc).
    await publishSeconds(sys.system.topicPrefix, [
      {
        tenantId,
        seconds: [
          ...measuredSeconds(gus.callId!, gus.agentId, 'good'),
          ...measuredSeconds(hana.callId!, hana.agentId, 'poor'),
          ...measuredSeconds(call.callId, agentId, 'medium'),
        ],
      },
    ]);
    // An OU manager's internal message (played here: quality-svc's alert is not part of this page's work).
    await publishUpstream(sys.system.topicPrefix, [
      {
        tenantId,
        streamId: `inbox-manager-1`,
        streamVersion: 1,
        event: {
          type: 'quality.manager-notified',
          data: {
            messageId: `message-${hana.callId}`,
            managerId: 'manager-1',
            orgUnitId,
            callId: hana.callId!,
            agentId: hana.agentId,
            level: 'poor',
            second: new Date().toISOString(),
            reasons: [{ reason: 'loss', kind: 'audio', side: 'agent-receive', value: 0.06 }],
            metrics: { lossRate: 0.06, jitterMs: 72, oneWayDelayMs: 330, mos: 2.6 },
            notifiedAt: new Date().toISOString(),
          },
        },
      },
    ]);

    // Polled from here: the page's CSP forbids the string a waitForFunction would evaluate there.
    const chartsOfAMinute = () =>
      dashboard.$$eval('figure.call-chart', (figures) => figures.filter((f) => Number(f.getAttribute('data-seconds')) >= 60).length);
    await eventually(async () => expect(await chartsOfAMinute()).toBeGreaterThanOrEqual(3), 60_000, 250);
    for (const [id, level] of [
      [gus.callId, 'Good'],
      [hana.callId, 'Poor'],
    ]) {
      await expectText(dashboard, `figure.call-chart[data-call="${id}"] .level`, level!);
      await expectText(dashboard, `#calls tr[data-call="${id}"] .level`, level!);
    }
    await expectText(dashboard, '#messages', 'Hana Talking (Poor)');
    for (const state of ['signed-out', 'idle', 'occupied']) await dashboard.waitForSelector(`#agent-summary [data-state="${state}"]`);
    // The softphone shows its call's level from the same seconds, and the video tiles of a video call.
    await expectText(page, '#level', /Good|Medium|Poor|Bad/);
    await eventually(async () => expect(await videoTiles()).toEqual({ shown: true, local: true, remote: true }));
    await screenshot(page, 'softphone');
    await screenshot(dashboard, 'dashboard');
    await page.click('#hang-up');
    await expectText(page, '#call .call-state', 'Call ended');
  });

  it('tells the user when the live channel closes because the token expired', async () => {
    // Long enough to be signed in and live before it expires, even on a loaded machine (a token already expired is refused at sign-in).
    const shortLived = await sys.openPage(
      opsContext,
      '/dashboard/',
      await sys.token({ subject: 'adm', role: 'tenant-admin', tenantId }, 15),
    );
    try {
      await expectText(shortLived, '#live-status', 'expired: the token expired: sign in again (4001 AUTH_TOKEN_EXPIRED)', 60_000);
      expect(await shortLived.evaluate("sessionStorage.getItem('softphone.token')")).toBeNull();
    } finally {
      await shortLived.close();
    }
  });
});
