import type { MediaKind, PoorReason, QualityLevel, QualitySample, QualitySide, SecondMetrics } from '@softphone/contracts';
import {
  DEFAULT_ALERT_RULE,
  followAlert,
  leavesAlertAsIs,
  NO_ALERT,
  type AlertChange,
  type AlertRule,
  type AlertState,
} from './alert-rule.js';
import { advance, type CadenceState, type CallReading, type ReadingOutcome, type Span } from './cadence.js';
import { followLevel, NO_LEVEL, type LevelState } from './hysteresis.js';
import { followSilence, NO_SILENCE, type Silence, type SilenceTrack } from './media-silence.js';
import { estimateMos } from './mos.js';
import { isPoorOrWorse, networkLevel, poorMetrics, severity } from './network-level.js';
import { sampleTimeMs } from './sample-time.js';
import { measureSecond, type SecondMeasurement } from './second-measurement.js';

export type SecondFlag = 'interpolated' | 'no-audio' | 'one-way';

/** One direction of one media stream in one second, rated. */
export interface StreamSecond extends Omit<SecondMeasurement, 'packetsReceived' | 'packetsSent'> {
  kind: MediaKind;
  side: QualitySide;
  /** Per-second packet counts (Table 2); null on the remote's side, known only as its receiver reports' loss fraction. */
  packetsReceived: number | null;
  packetsSent: number | null;
  /** Table 1; Bad for one-way audio. */
  level: QualityLevel;
  /** null without a loss rate (nothing was sent). */
  mos: number | null;
  /** The receiver got no packet in that second. */
  noAudio: boolean;
  oneWay: boolean;
  /** Consecutive seconds without packets, this one included. */
  silentSeconds: number;
}

/** A measured second of a call: every stream of it, and the worst one, which gives the second its level. */
export interface MeteredSecond {
  atMs: number;
  level: QualityLevel;
  flags: SecondFlag[];
  worst: StreamSecond;
  streams: StreamSecond[];
}

export interface LevelChange {
  from: QualityLevel | null;
  to: QualityLevel;
  second: MeteredSecond;
}

/** What quality-svc keeps per call between batches of readings (JSON). */
export interface MeterState {
  cadence: CadenceState | null;
  /** Per `<kind>/<side>`: the current run of seconds without packets. */
  silence: Record<string, SilenceTrack>;
  hysteresis: LevelState;
  alert: AlertState;
  /** The call ended and was summarized: later readings are discarded. */
  closed: boolean;
}

export const NEW_METER: MeterState = {
  cadence: null,
  silence: {},
  hysteresis: NO_LEVEL,
  alert: NO_ALERT,
  closed: false,
};

export type SampleOutcome = ReadingOutcome | 'call-ended';

export interface Metered {
  state: MeterState;
  seconds: MeteredSecond[];
  changes: LevelChange[];
  alerts: AlertChange[];
  outcomes: Partial<Record<SampleOutcome, number>>;
}

/** A gateway's sample: the audio the agent receives, the remote end's sent counter being Table 2's own. */
export function readingOfSample(sample: QualitySample): CallReading {
  const { packetsReceived, packetsSent, jitterMs, rttMs } = sample;
  return {
    atMs: sampleTimeMs(sample.at),
    streams: { audio: { packetsReceived, packetsSent, jitterMs, rttMs, remoteSent: packetsSent, agentSent: null, remoteReceive: null } },
  };
}

/** The metrics an event carries for a stream second: a one-way second lost everything, an unknown delay is 0. */
export function secondMetrics(s: StreamSecond): SecondMetrics {
  const lossRate = s.lossRate ?? (s.oneWay ? 1 : 0);
  const oneWayDelayMs = s.oneWayDelayMs ?? 0;
  return { lossRate, jitterMs: s.jitterMs, oneWayDelayMs, mos: s.mos ?? estimateMos({ lossRate, jitterMs: s.jitterMs, oneWayDelayMs }) };
}

const METRIC_REASONS = { lossRate: 'loss', jitterMs: 'jitter', oneWayDelayMs: 'delay' } as const;

/** Why a stream second is Poor or worse, with the measured values. */
export function reasonsOf(s: StreamSecond): PoorReason[] {
  if (!isPoorOrWorse(s.level)) return [];
  const at = { kind: s.kind, side: s.side };
  const reasons: PoorReason[] = poorMetrics(s).map((metric) => ({ reason: METRIC_REASONS[metric], ...at, value: s[metric]! }));
  if (s.noAudio) reasons.push({ reason: 'no-audio', ...at, value: s.silentSeconds });
  if (s.oneWay) reasons.push({ reason: 'one-way', ...at, value: s.silentSeconds });
  return reasons;
}

/** One stream second rated (per sample: no spreads, no intermediate objects). */
function rate(
  kind: MediaKind,
  side: QualitySide,
  m: Omit<SecondMeasurement, 'packetsReceived' | 'packetsSent'> & Counts,
  silence: Silence,
): StreamSecond {
  const { lossRate, jitterMs, oneWayDelayMs } = m;
  return {
    kind,
    side,
    packetsReceived: m.packetsReceived,
    packetsSent: m.packetsSent,
    lossRate,
    jitterMs,
    oneWayDelayMs,
    level: silence.oneWay ? 'bad' : networkLevel(m),
    mos: lossRate === null ? null : estimateMos({ lossRate, jitterMs, oneWayDelayMs: oneWayDelayMs ?? 0 }),
    noAudio: silence.seconds > 0,
    oneWay: silence.oneWay,
    silentSeconds: silence.seconds,
  };
}

interface Counts {
  packetsReceived: number | null;
  packetsSent: number | null;
}

const KINDS: readonly MediaKind[] = ['audio', 'video'];
const SILENCE_KEYS = { audio: ['audio/agent-receive', 'audio/remote-receive'], video: ['video/agent-receive', 'video/remote-receive'] };

/** Each stream's seconds in a span: the agent's receive direction from the counters, the remote's from its receiver reports. */
function streamSeconds(
  span: Span,
  silence: Record<string, SilenceTrack>,
): { streams: StreamSecond[]; silence: Record<string, SilenceTrack> } {
  const next = { ...silence };
  const streams: StreamSecond[] = [];
  for (const kind of KINDS) {
    const start = span.start[kind];
    const end = span.end[kind];
    const reading = span.reading.streams[kind];
    if (!start || !end || !reading) continue;
    const [agentKey, remoteKey] = SILENCE_KEYS[kind];
    const m = measureSecond(start, end, reading);
    const agentSilence = followSilence(next[agentKey] ?? NO_SILENCE, m.packetsReceived === 0, reading.remoteSent);
    next[agentKey] = agentSilence.track;
    streams.push(rate(kind, 'agent-receive', m, agentSilence));
    const remote = reading.remoteReceive;
    if (!remote) continue;
    const remoteSilence = followSilence(next[remoteKey] ?? NO_SILENCE, remote.lossRate >= 1, reading.agentSent);
    next[remoteKey] = remoteSilence.track;
    const measured = {
      packetsReceived: null,
      packetsSent: null,
      lossRate: remote.lossRate,
      jitterMs: remote.jitterMs,
      oneWayDelayMs: remote.rttMs === null ? null : remote.rttMs / 2,
    };
    streams.push(rate(kind, 'remote-receive', measured, remoteSilence));
  }
  return { streams, silence: next };
}

/** The reasons of a second's Poor-or-worse streams (none for most seconds: no array built then). */
function reasonsOfStreams(streams: readonly StreamSecond[]): PoorReason[] {
  let reasons: PoorReason[] = [];
  for (const stream of streams) if (isPoorOrWorse(stream.level)) reasons = reasons.concat(reasonsOf(stream));
  return reasons;
}

function secondOf(span: Span, streams: StreamSecond[]): MeteredSecond {
  let worst = streams[0];
  let noAudio = worst.noAudio;
  let oneWay = worst.oneWay;
  for (let i = 1; i < streams.length; i++) {
    const s = streams[i];
    if (severity(s.level) > severity(worst.level)) worst = s;
    noAudio ||= s.noAudio;
    oneWay ||= s.oneWay;
  }
  const flags: SecondFlag[] = [];
  if (span.interpolated) flags.push('interpolated');
  if (noAudio) flags.push('no-audio');
  if (oneWay) flags.push('one-way');
  return { atMs: span.atMs, level: worst.level, flags, worst, streams };
}

/**
 * Applies a batch of one call's readings, in time order whatever order they
 * came in: the seconds they complete (cadence rule, Table 2, Table 1, MOS,
 * no-audio and one-way), the published level changes (hysteresis) and the alert
 * changes (M-of-N rule, what OU managers are told about).
 */
export function meter(state: MeterState, readings: readonly CallReading[], rule: AlertRule = DEFAULT_ALERT_RULE): Metered {
  const outcomes: Partial<Record<SampleOutcome, number>> = {};
  const count = (outcome: SampleOutcome) => (outcomes[outcome] = (outcomes[outcome] ?? 0) + 1);
  if (state.closed) {
    for (const _ of readings) count('call-ended');
    return { state, seconds: [], changes: [], alerts: [], outcomes };
  }
  let { cadence, silence, hysteresis, alert } = state;
  const seconds: MeteredSecond[] = [];
  const changes: LevelChange[] = [];
  const alerts: AlertChange[] = [];
  const inOrder = readings.length > 1 ? [...readings].sort((a, b) => a.atMs - b.atMs) : readings;
  for (const reading of inOrder) {
    const advanced = advance(cadence, reading);
    count(advanced.outcome);
    cadence = advanced.state;
    for (const span of advanced.spans) {
      const measured = streamSeconds(span, silence);
      silence = measured.silence;
      if (measured.streams.length === 0) continue;
      const second = secondOf(span, measured.streams);
      seconds.push(second);
      const followed = followLevel(hysteresis, second.level);
      if (followed.changedTo) changes.push({ from: hysteresis.level, to: followed.changedTo, second });
      hysteresis = followed.state;
      if (leavesAlertAsIs(rule, alert, second.level)) continue;
      const alerted = followAlert(rule, alert, {
        atMs: second.atMs,
        level: second.level,
        reasons: reasonsOfStreams(second.streams),
        metrics: secondMetrics(second.worst),
      });
      alert = alerted.state;
      if (alerted.change) alerts.push(alerted.change);
    }
  }
  if (cadence === state.cadence) return { state, seconds, changes, alerts, outcomes };
  return { state: { cadence, silence, hysteresis, alert, closed: false }, seconds, changes, alerts, outcomes };
}
