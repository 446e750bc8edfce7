import type { MediaKind, PoorReason, QualityLevel, QualitySample, QualitySide, SecondMetrics } from '@softphone/contracts';
import { DEFAULT_ALERT_RULE, followAlert, NO_ALERT, type AlertChange, type AlertRule, type AlertState } from './alert-rule.js';
import { advance, type CadenceState, type CallReading, type ReadingOutcome, type Span } from './cadence.js';
import { followLevel, NO_LEVEL, type LevelState } from './hysteresis.js';
import { followSilence, NO_SILENCE, type SilenceTrack } from './media-silence.js';
import { estimateMos } from './mos.js';
import { isPoorOrWorse, networkLevel, poorMetrics, severity } from './network-level.js';
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
    atMs: Date.parse(sample.at),
    streams: { audio: { packetsReceived, packetsSent, jitterMs, rttMs, remoteSent: packetsSent, agentSent: null, remoteReceive: null } },
  };
}

/** The metrics an event carries for a stream second: a one-way second lost everything, an unknown delay is 0. */
export function secondMetrics(s: StreamSecond): SecondMetrics {
  const metrics = { lossRate: s.lossRate ?? (s.oneWay ? 1 : 0), jitterMs: s.jitterMs, oneWayDelayMs: s.oneWayDelayMs ?? 0 };
  return { ...metrics, mos: s.mos ?? estimateMos(metrics) };
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

function rate(
  measured: Omit<StreamSecond, 'level' | 'mos' | 'noAudio' | 'oneWay' | 'silentSeconds'>,
  silence: { seconds: number; oneWay: boolean },
): StreamSecond {
  const { lossRate, jitterMs, oneWayDelayMs } = measured;
  return {
    ...measured,
    level: silence.oneWay ? 'bad' : networkLevel(measured),
    mos: lossRate === null ? null : estimateMos({ lossRate, jitterMs, oneWayDelayMs: oneWayDelayMs ?? 0 }),
    noAudio: silence.seconds > 0,
    oneWay: silence.oneWay,
    silentSeconds: silence.seconds,
  };
}

const KINDS: readonly MediaKind[] = ['audio', 'video'];

/** Each stream's seconds in a span: the agent's receive direction from the counters, the remote's from its receiver reports. */
function streamSeconds(
  span: Span,
  silence: Record<string, SilenceTrack>,
): { streams: StreamSecond[]; silence: Record<string, SilenceTrack> } {
  const next = { ...silence };
  const follow = (key: string, silent: boolean, sender: number | null) => {
    const followed = followSilence(next[key] ?? NO_SILENCE, silent, sender);
    next[key] = followed.track;
    return followed;
  };
  const streams: StreamSecond[] = [];
  for (const kind of KINDS) {
    const [start, end, reading] = [span.start[kind], span.end[kind], span.reading.streams[kind]];
    if (!start || !end || !reading) continue;
    const m = measureSecond(start, end, reading);
    streams.push(rate({ kind, side: 'agent-receive', ...m }, follow(`${kind}/agent-receive`, m.packetsReceived === 0, reading.remoteSent)));
    const remote = reading.remoteReceive;
    if (!remote) continue;
    const measured = {
      kind,
      side: 'remote-receive' as const,
      packetsReceived: null,
      packetsSent: null,
      lossRate: remote.lossRate,
      jitterMs: remote.jitterMs,
      oneWayDelayMs: remote.rttMs === null ? null : remote.rttMs / 2,
    };
    streams.push(rate(measured, follow(`${kind}/remote-receive`, remote.lossRate >= 1, reading.agentSent)));
  }
  return { streams, silence: next };
}

function secondOf(span: Span, streams: StreamSecond[]): MeteredSecond {
  const worst = streams.reduce((a, b) => (severity(b.level) > severity(a.level) ? b : a));
  const flags: SecondFlag[] = [];
  if (span.interpolated) flags.push('interpolated');
  if (streams.some((s) => s.noAudio)) flags.push('no-audio');
  if (streams.some((s) => s.oneWay)) flags.push('one-way');
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
      const alerted = followAlert(rule, alert, {
        atMs: second.atMs,
        level: second.level,
        reasons: second.streams.flatMap(reasonsOf),
        metrics: secondMetrics(second.worst),
      });
      alert = alerted.state;
      if (alerted.change) alerts.push(alerted.change);
    }
  }
  if (cadence === state.cadence) return { state, seconds, changes, alerts, outcomes };
  return { state: { cadence, silence, hysteresis, alert, closed: false }, seconds, changes, alerts, outcomes };
}
