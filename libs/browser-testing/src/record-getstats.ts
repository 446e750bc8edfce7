/**
 * Records real getStats() reports of WebRTC calls between two Chromium peers whose media crosses the harness's UDP
 * relay, good and impaired, as fixtures for quality-svc's tests:
 *
 *   npm run fixtures:getstats [-- <seconds>]     (default 120 s per recording; all recordings run at once)
 *
 * Writes apps/quality-svc/test/fixtures/getstats/<name>.json: the agent side's reports, one per second.
 */
import { writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from './chromium.js';
import { MediaGateway, peerCall, type NetworkConditions } from './media-gateway.js';
import { NO_IMPAIRMENT } from './udp-relay.js';
import { workspaceRoot } from './workspace-root.js';

interface Recording {
  name: string;
  description: string;
  video: boolean;
  network: NetworkConditions;
}

const lossy = (delayMs: number) => ({ loss: 0.05, delayMs, jitterMs: 10 });

const RECORDINGS: Recording[] = [
  {
    name: 'voice-good',
    description: 'voice call, no impairment',
    video: false,
    network: { toAgent: NO_IMPAIRMENT, toPeer: NO_IMPAIRMENT },
  },
  {
    name: 'voice-loss5-delay100',
    description: 'voice call, 5 % loss and 100 ms ±10 ms delay in each direction',
    video: false,
    network: { toAgent: lossy(100), toPeer: lossy(100) },
  },
  {
    name: 'video-loss5-delay200',
    description: 'voice+video call, 5 % loss and 200 ms ±10 ms delay in each direction',
    video: true,
    network: { toAgent: lossy(200), toPeer: lossy(200) },
  },
];

async function record(gateway: MediaGateway, recording: Recording, seconds: number, browserVersion: string) {
  const agent = await gateway.peerPage();
  await peerCall(agent, 'start', { video: recording.video });
  const offer = await peerCall<string>(agent, 'offer');
  const { answer, end } = await gateway.answer(offer, { video: recording.video, network: recording.network });
  await peerCall(agent, 'accept', answer);
  await Promise.all([peerCall(agent, 'connected'), peerCall(end.page, 'connected')]);
  const reports = await peerCall<unknown[]>(agent, 'record', seconds, 1000);
  const relay = structuredClone(end.relay.counters);
  await peerCall(agent, 'close');
  await agent.close();
  await end.hangUp();
  return {
    name: recording.name,
    description: recording.description,
    recordedAt: new Date().toISOString(),
    browser: browserVersion,
    side: 'agent (the recipient: inbound-rtp is what it received through the relay)',
    media: recording.video ? 'audio+video' : 'audio',
    network: recording.network,
    relayCounters: relay,
    intervalMs: 1000,
    reports,
  };
}

/** JSON with the header fields on their own lines and one report per line (readable diffs, compact). */
function asJson({ reports, ...header }: Awaited<ReturnType<typeof record>>): string {
  const head = JSON.stringify(header, null, 2).replace(/\n}$/, '');
  return `${head},\n  "reports": [\n${reports.map((r) => `    ${JSON.stringify(r)}`).join(',\n')}\n  ]\n}\n`;
}

const seconds = Number(process.argv[2] ?? 120);
const out = join(workspaceRoot(), 'apps/quality-svc/test/fixtures/getstats');
mkdirSync(out, { recursive: true });
const browser = await launchChromium();
const gateway = await MediaGateway.open(browser);
try {
  process.stdout.write(`recording ${RECORDINGS.length} calls of ${seconds} s at once...\n`);
  const results = await Promise.all(RECORDINGS.map((r) => record(gateway, r, seconds, `Chromium ${browser.version()}`)));
  for (const result of results) {
    writeFileSync(join(out, `${result.name}.json`), asJson(result));
    process.stdout.write(`${result.name}: ${result.reports.length} reports, relay ${JSON.stringify(result.relayCounters)}\n`);
  }
} finally {
  await gateway.close();
  await browser.close();
}
