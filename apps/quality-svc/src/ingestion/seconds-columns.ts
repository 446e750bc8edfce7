import type { MediaKind, QualityLevel, QualitySide } from '@softphone/contracts';
import { secondMetrics, type MeteredSecond, type SecondFlag } from '../metering/call-meter.js';
import { levelOfSeverity, severity } from '../metering/network-level.js';
import { storedStreams } from '../call-quality/stored-streams.js';

/** What a row needs of its call's meter. */
export interface SecondsOwner {
  meterId: string;
  callId: string;
  agentId: string | null;
}

const FLAGS: readonly SecondFlag[] = ['interpolated', 'no-audio', 'one-way'];
const KINDS: readonly MediaKind[] = ['audio', 'video'];
const SIDES: readonly QualitySide[] = ['agent-receive', 'remote-receive'];
const INITIAL_CAPACITY = 1024;

/** A number column: NaN stands for null (no measured value is NaN: the ranges refuse it). */
const orNaN = (v: number | null): number => (v === null ? NaN : v);

/**
 * Measured seconds waiting for their checkpoint, one typed array per column of
 * `quality_seconds` (and of the seconds topic's metrics) instead of a
 * `MeteredSecond` object graph each: 50,000 seconds a second wait here 0.25–1 s,
 * long enough for objects to be copied by young collections and promoted; numbers
 * in typed arrays are neither. Rows of a call stay in the order they were added.
 */
export class SecondsColumns {
  private capacity: number;
  private rows = 0;
  private owners: SecondsOwner[] = [];
  /** The few `streams` JSON values (several streams, or a silent one: `storedStreams`), by row; null elsewhere. */
  private streams: Array<string | null> = [];
  /** One column per number (NaN: null); levels, flags, kinds and sides as their codes. */
  private columns: Record<NumberColumn, Float64Array>;

  constructor(capacity = INITIAL_CAPACITY) {
    this.capacity = Math.max(1, capacity);
    this.columns = {} as Record<NumberColumn, Float64Array>;
    for (const key of NUMBER_COLUMNS) this.columns[key] = new Float64Array(this.capacity);
  }

  get size(): number {
    return this.rows;
  }

  add(owner: SecondsOwner, s: MeteredSecond): void {
    if (this.rows === this.capacity) this.grow(this.capacity * 2);
    const i = this.rows++;
    const w = s.worst;
    let flags = 0;
    for (const flag of s.flags) flags |= 1 << FLAGS.indexOf(flag);
    const shown = secondMetrics(w);
    this.owners.push(owner);
    this.streams.push(storedStreams(s));
    this.columns.atMs[i] = s.atMs;
    this.columns.received[i] = orNaN(w.packetsReceived);
    this.columns.sent[i] = orNaN(w.packetsSent);
    this.columns.lossRates[i] = orNaN(w.lossRate);
    this.columns.jitters[i] = w.jitterMs;
    this.columns.delays[i] = orNaN(w.oneWayDelayMs);
    this.columns.mos[i] = orNaN(w.mos);
    this.columns.shownLossRates[i] = shown.lossRate;
    this.columns.shownDelays[i] = shown.oneWayDelayMs;
    this.columns.shownMos[i] = shown.mos;
    this.columns.levels[i] = severity(s.level);
    this.columns.flags[i] = flags;
    this.columns.kinds[i] = KINDS.indexOf(w.kind);
    this.columns.sides[i] = SIDES.indexOf(w.side);
  }

  /** These rows, then `later`'s (a failed checkpoint's seconds before the ones measured since). */
  followedBy(later: SecondsColumns): SecondsColumns {
    const joined = new SecondsColumns(this.rows + later.rows);
    for (const part of [this, later]) {
      for (const key of NUMBER_COLUMNS) joined.columns[key].set(part.columns[key].subarray(0, part.rows), joined.rows);
      joined.owners.push(...part.owners);
      joined.streams.push(...part.streams);
      joined.rows += part.rows;
    }
    return joined;
  }

  owner(i: number): SecondsOwner {
    return this.owners[i];
  }

  /** Each row as the seconds topic shows it (QualitySecondsMessage's second, without the call). */
  shown(i: number): {
    atMs: number;
    level: QualityLevel;
    lossRate: number;
    jitterMs: number;
    oneWayDelayMs: number;
    mos: number;
    flags: SecondFlag[];
  } {
    return {
      atMs: this.columns.atMs[i],
      level: levelOfSeverity(this.columns.levels[i]),
      lossRate: this.columns.shownLossRates[i],
      jitterMs: this.columns.jitters[i],
      oneWayDelayMs: this.columns.shownDelays[i],
      mos: this.columns.shownMos[i],
      flags: FLAGS.filter((_, bit) => (this.columns.flags[i] & (1 << bit)) !== 0),
    };
  }

  /** The rows' seconds (tests, logs). */
  instants(): number[] {
    return Array.from(this.columns.atMs.subarray(0, this.rows));
  }

  /** The statement's parameters, in the order INSERT_SECONDS unnests them: numbers, kinds and sides as array literals written here, the JSON left to the driver. */
  params(): unknown[] {
    const meterIds = new Array<string>(this.rows);
    for (let i = 0; i < this.rows; i++) meterIds[i] = this.owners[i].meterId;
    return [
      `{${meterIds.join(',')}}`,
      numbers(this.columns.atMs, this.rows),
      numbers(this.columns.received, this.rows),
      numbers(this.columns.sent, this.rows),
      numbers(this.columns.lossRates, this.rows),
      numbers(this.columns.jitters, this.rows),
      numbers(this.columns.delays, this.rows),
      numbers(this.columns.mos, this.rows),
      numbers(this.columns.levels, this.rows),
      numbers(this.columns.flags, this.rows),
      words(this.columns.kinds, KINDS, this.rows),
      words(this.columns.sides, SIDES, this.rows),
      this.streams,
    ];
  }

  private grow(capacity: number): void {
    for (const key of NUMBER_COLUMNS) {
      const bigger = new Float64Array(capacity);
      bigger.set(this.columns[key]);
      this.columns[key] = bigger;
    }
    this.capacity = capacity;
  }
}

type NumberColumn =
  | 'atMs'
  | 'received'
  | 'sent'
  | 'lossRates'
  | 'jitters'
  | 'delays'
  | 'mos'
  | 'shownLossRates'
  | 'shownDelays'
  | 'shownMos'
  | 'levels'
  | 'flags'
  | 'kinds'
  | 'sides';

const NUMBER_COLUMNS: readonly NumberColumn[] = [
  'atMs',
  'received',
  'sent',
  'lossRates',
  'jitters',
  'delays',
  'mos',
  'shownLossRates',
  'shownDelays',
  'shownMos',
  'levels',
  'flags',
  'kinds',
  'sides',
];

/**
 * A numeric array literal (`{1,NULL,2.5}`, NaN as NULL); JavaScript prints every finite number in a form PostgreSQL
 * reads back exactly. Joined once, a flat string: `+=` would leave a rope for the driver's Buffer.byteLength to flatten.
 */
function numbers(values: Float64Array, rows: number): string {
  const texts = new Array<string>(rows);
  for (let i = 0; i < rows; i++) texts[i] = Number.isNaN(values[i]) ? 'NULL' : String(values[i]);
  return `{${texts.join(',')}}`;
}

/** A text array literal of words that need no quoting (`audio`, `agent-receive`: letters and hyphens only), from their codes. */
function words(codes: Float64Array, names: readonly string[], rows: number): string {
  const texts = new Array<string>(rows);
  for (let i = 0; i < rows; i++) texts[i] = names[codes[i]];
  return `{${texts.join(',')}}`;
}
