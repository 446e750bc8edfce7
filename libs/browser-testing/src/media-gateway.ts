import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startPeerPageServer, type PageServer } from './page-server.js';
import { udpHostCandidate, withCandidateRewritten, withoutCandidates } from './sdp.js';
import { NO_IMPAIRMENT, startUdpRelay, type Impairment, type UdpRelay } from './udp-relay.js';

export interface NetworkConditions {
  /** Packets going to the agent's browser (what its getStats measures as received). */
  toAgent: Impairment;
  /** Packets leaving the agent's browser. */
  toPeer: Impairment;
}

export const CLEAN_NETWORK: NetworkConditions = { toAgent: NO_IMPAIRMENT, toPeer: NO_IMPAIRMENT };

/** One call's far end: a peer page with fake devices, and the relay its media crosses. */
export interface FarEnd {
  page: Page;
  relay: UdpRelay;
  hangUp(): Promise<void>;
}

/** Calls `window.peer.<method>(...args)` in a page that loaded the harness's peer page. */
export function peerCall<T>(page: Page, method: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([name, params]) => (globalThis as unknown as Record<string, Record<string, (...a: unknown[]) => unknown>>).peer[name](...params),
    [method, args] as const,
  ) as Promise<T>;
}

/**
 * The customer's (or gateway's) side of calls, played by the test harness: for each agent offer it opens a peer page
 * in its own browser context, answers through a UDP relay that impairs the media as told, and gives back the answer
 * the agent's browser must apply. The system never carries media; this stands for the WebRTC gateway.
 */
export class MediaGateway {
  private readonly ends = new Set<FarEnd>();

  private constructor(
    private readonly context: BrowserContext,
    private readonly server: PageServer,
  ) {}

  static async open(browser: Browser): Promise<MediaGateway> {
    return new MediaGateway(await browser.newContext(), await startPeerPageServer());
  }

  /** Answers the agent's offer; resolves with the SDP answer for the agent (its candidates withheld) and the far end. */
  async answer(agentOffer: string, options: { video: boolean; network?: NetworkConditions }): Promise<{ answer: string; end: FarEnd }> {
    const network = options.network ?? CLEAN_NETWORK;
    const relay = await startUdpRelay({ agent: udpHostCandidate(agentOffer), toAgent: network.toAgent, toPeer: network.toPeer });
    const page = await this.context.newPage();
    await page.goto(this.server.url);
    await page.waitForFunction(() => 'peer' in globalThis);
    await peerCall(page, 'start', { video: options.video });
    const peerAnswer = await peerCall<string>(page, 'answer', withCandidateRewritten(agentOffer, relay.peerFacing));
    const end: FarEnd = {
      page,
      relay,
      hangUp: async () => {
        this.ends.delete(end);
        await peerCall(page, 'close').catch(() => undefined);
        await page.close();
        await relay.close();
      },
    };
    this.ends.add(end);
    return { answer: withoutCandidates(peerAnswer), end };
  }

  /** A page of the harness's peer (for an agent side played by the harness too, as when recording fixtures). */
  async peerPage(): Promise<Page> {
    const page = await this.context.newPage();
    await page.goto(this.server.url);
    await page.waitForFunction(() => 'peer' in globalThis);
    return page;
  }

  async close(): Promise<void> {
    for (const end of [...this.ends]) await end.hangUp();
    await this.context.close();
    await this.server.close();
  }
}
