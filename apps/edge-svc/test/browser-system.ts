import { expect } from '@jest/globals';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Principal } from '@softphone/auth';
import { join } from 'node:path';
import {
  CLEAN_NETWORK,
  launchChromium,
  MediaGateway,
  workspaceRoot,
  type FarEnd,
  type NetworkConditions,
} from '@softphone/browser-testing';
import { HttpClient, RunningSystem } from '@softphone/service-testing';
import { eventually, testToken } from '@softphone/testing';
import { startTestEdge, type RunningEdge } from './support.js';

/** The four services as processes, an edge in-process in front of them, one Chromium, and the gateway's media side. */
export class BrowserSystem {
  readonly tenant: HttpClient;
  readonly agent: HttpClient;
  readonly call: HttpClient;
  readonly quality: HttpClient;
  /** What the relay does to the next calls' media. */
  network: NetworkConditions = CLEAN_NETWORK;
  readonly farEnds: FarEnd[] = [];
  /** Errors the pages reported (uncaught, or logged): shown when a test fails. */
  readonly pageErrors: string[] = [];

  private constructor(
    readonly system: RunningSystem,
    readonly edge: RunningEdge,
    readonly browser: Browser,
    readonly gateway: MediaGateway,
  ) {
    const urls = system.urls();
    this.tenant = new HttpClient(urls['tenant-svc']);
    this.agent = new HttpClient(urls['agent-svc']);
    this.call = new HttpClient(urls['call-svc']);
    this.quality = new HttpClient(urls['quality-svc']);
  }

  static async start(label: string): Promise<BrowserSystem> {
    const [system, browser] = await Promise.all([RunningSystem.start({ label }), launchChromium()]);
    const urls = system.urls();
    const edge = await startTestEdge(system.topicPrefix, `${label}-edge`, {
      KAFKA_PARTITIONS: '6',
      // A live connection ends when its token expires, without the default 30 s of tolerance (the expiry test).
      JWT_CLOCK_TOLERANCE_SECONDS: '0',
      TENANT_SVC_URL: urls['tenant-svc'],
      AGENT_SVC_URL: urls['agent-svc'],
      CALL_SVC_URL: urls['call-svc'],
      QUALITY_SVC_URL: urls['quality-svc'],
    });
    return new BrowserSystem(system, edge, browser, await MediaGateway.open(browser));
  }

  token(principal: Principal, ttlSeconds?: number): Promise<string> {
    return testToken(principal, ttlSeconds);
  }

  /** A new tenant with WebRTC on one gateway (gw-1), its admin's and its gateway's tokens. */
  async webrtcTenant(name: string): Promise<{ tenantId: string; admin: string; gateway: string }> {
    const root = await this.token({ subject: 'root', role: 'system-admin', tenantId: 'system' });
    const { tenantId } = (await this.tenant.post('/tenants', { name }, root)).body as { tenantId: string };
    await this.tenant.post(
      `/tenants/${tenantId}/webrtc`,
      { registrationServerType: 'webRTC', gateways: [{ gatewayId: 'gw-1', address: 'wss://gw-1' }] },
      root,
    );
    const admin = await this.token({ subject: 'adm', role: 'tenant-admin', tenantId });
    return { tenantId, admin, gateway: await this.token({ subject: 'gw', role: 'gateway', tenantId }) };
  }

  /** A browser context whose pages have the WebRTC gateway's signaling connector (answered by the harness). */
  async context(): Promise<BrowserContext> {
    const context = await this.browser.newContext({ baseURL: this.edge.url, viewport: { width: 1100, height: 800 } });
    await context.exposeFunction('harnessMediaConnect', async (request: { callId: string; offer: string; video: boolean }) => {
      const { answer, end } = await this.gateway.answer(request.offer, { video: request.video, network: this.network });
      this.farEnds.push(end);
      return answer;
    });
    await context.addInitScript(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      const connect = w.harnessMediaConnect as (r: unknown) => Promise<string>;
      w.softphoneMediaGateway = { connect: (r: { callId: string; offer: string }) => connect({ ...r, video: true }) };
    });
    return context;
  }

  /** Opens a page of the edge and signs in with a token (pasted in the sign-in form). */
  async openPage(context: BrowserContext, path: string, token: string): Promise<Page> {
    const page = await context.newPage();
    page.on('pageerror', (error) => this.pageErrors.push(`${path}: ${error.message}`));
    page.on('console', (message) => message.type() === 'error' && this.pageErrors.push(`${path}: ${message.text()}`));
    await page.goto(path);
    await page.fill('#token', token);
    await page.click('#signin button[type=submit]');
    await expectText(page, '#live-status', 'live');
    return page;
  }

  async close(): Promise<void> {
    await this.gateway.close().catch(() => undefined);
    await this.browser.close().catch(() => undefined);
    await this.edge.app.close();
    await this.system.close();
  }
}

/** With SCREENSHOTS=1 (npm run screenshots), saves the page as docs/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.SCREENSHOTS !== '1') return;
  await page.screenshot({ path: join(workspaceRoot(), 'docs/screenshots', `${name}.png`), fullPage: true });
}

/** Waits until the element's text contains `text`. */
export async function expectText(page: Page, selector: string, text: string | RegExp, timeoutMs = 15_000): Promise<void> {
  await eventually(async () => expect((await page.textContent(selector)) ?? '').toMatch(text), timeoutMs, 100);
}
