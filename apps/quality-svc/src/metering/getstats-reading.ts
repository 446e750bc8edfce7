import type { GetStatsEntry, GetStatsReport, MediaKind } from '@softphone/contracts';
import type { CallReading, StreamReading } from './cadence.js';

/**
 * A browser's getStats() report as a reading of the call, the agent being the
 * recipient (Table 2). Per media kind (summed over its SSRCs):
 * - packets received = inbound-rtp.packetsReceived;
 * - packets sent = inbound-rtp.packetsReceived + inbound-rtp.packetsLost: the
 *   packets the remote end sent as the agent's receiver counts them from RTP
 *   sequence numbers (RFC 3550 "expected"). It moves with every packet, where
 *   the remote's own remote-outbound-rtp.packetsSent only moves when an RTCP
 *   sender report arrives (every few seconds);
 * - jitter = inbound-rtp.jitter (s → ms);
 * - RTT = the selected candidate-pair's currentRoundTripTime, else
 *   remote-inbound-rtp.roundTripTime (s → ms);
 * - remoteSent = remote-outbound-rtp.packetsSent (one-way audio only);
 * - agentSent = outbound-rtp.packetsSent and remoteReceive = remote-inbound-rtp
 *   (fractionLost, jitter, roundTripTime): the remote end's receive direction.
 * The reading's time is the latest entry timestamp. Null when the report has no inbound-rtp.
 */
export function readingOfReport(report: GetStatsReport): CallReading | null {
  const byId = new Map(report.stats.filter((e) => e.id !== undefined).map((e) => [e.id!, e]));
  const rttMs = selectedPairRttMs(report.stats);
  const streams: Partial<Record<MediaKind, StreamReading>> = {};
  for (const inbound of report.stats) {
    const kind = mediaKind(inbound);
    if (inbound.type !== 'inbound-rtp' || !kind) continue;
    const received = inbound.packetsReceived ?? 0;
    const expected = received + (inbound.packetsLost ?? 0);
    const remoteOut = inbound.remoteId === undefined ? undefined : byId.get(inbound.remoteId);
    const previous = streams[kind];
    streams[kind] = {
      packetsReceived: (previous?.packetsReceived ?? 0) + received,
      packetsSent: (previous?.packetsSent ?? 0) + Math.max(expected, received),
      jitterMs: Math.max(previous?.jitterMs ?? 0, (inbound.jitter ?? 0) * 1000),
      rttMs: null,
      remoteSent:
        remoteOut?.packetsSent === undefined ? (previous?.remoteSent ?? null) : (previous?.remoteSent ?? 0) + remoteOut.packetsSent,
      agentSent: null,
      remoteReceive: null,
    };
  }
  for (const remoteIn of report.stats) {
    const kind = mediaKind(remoteIn);
    const stream = kind && streams[kind];
    if (remoteIn.type !== 'remote-inbound-rtp' || !stream) continue;
    const outbound = remoteIn.localId === undefined ? undefined : byId.get(remoteIn.localId);
    const remoteRttMs = remoteIn.roundTripTime === undefined ? null : remoteIn.roundTripTime * 1000;
    if (outbound?.packetsSent !== undefined) stream.agentSent = (stream.agentSent ?? 0) + outbound.packetsSent;
    stream.remoteReceive = worseReceive(stream.remoteReceive, {
      lossRate: remoteIn.fractionLost ?? 0,
      jitterMs: (remoteIn.jitter ?? 0) * 1000,
      rttMs: remoteRttMs ?? rttMs,
    });
    stream.rttMs ??= rttMs ?? remoteRttMs;
  }
  for (const stream of Object.values(streams)) stream.rttMs ??= rttMs;
  if (Object.keys(streams).length === 0) return null;
  return { atMs: Math.round(Math.max(...report.stats.map((e) => e.timestamp))), streams };
}

const mediaKind = (entry: GetStatsEntry): MediaKind | null => (entry.kind === 'audio' || entry.kind === 'video' ? entry.kind : null);

type RemoteReceive = NonNullable<StreamReading['remoteReceive']>;

function worseReceive(a: RemoteReceive | null, b: RemoteReceive): RemoteReceive {
  if (!a) return b;
  return { lossRate: Math.max(a.lossRate, b.lossRate), jitterMs: Math.max(a.jitterMs, b.jitterMs), rttMs: a.rttMs ?? b.rttMs };
}

/** The RTT of the candidate pair in use: the transport's selected one, else a nominated succeeded one, else any nominated. */
function selectedPairRttMs(stats: readonly GetStatsEntry[]): number | null {
  const pairs = stats.filter((e) => e.type === 'candidate-pair' && e.currentRoundTripTime !== undefined);
  const selectedIds = new Set(stats.filter((e) => e.type === 'transport').map((t) => t.selectedCandidatePairId));
  const pair =
    pairs.find((p) => selectedIds.has(p.id)) ?? pairs.find((p) => p.nominated && p.state === 'succeeded') ?? pairs.find((p) => p.nominated);
  return pair ? pair.currentRoundTripTime! * 1000 : null;
}
