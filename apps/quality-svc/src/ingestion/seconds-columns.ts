import type { MeteredSecond } from '../metering/call-meter.js';
import { severity } from '../metering/network-level.js';
import { storedStreams } from '../call-quality/stored-streams.js';

const FLAG_BITS = { interpolated: 1, 'no-audio': 2, 'one-way': 4 } as const;

/**
 * A checkpoint's measured seconds as one array per column of `quality_seconds`,
 * in the order INSERT_SECONDS unnests them: one statement parameter per column,
 * whatever the number of rows (no per-row JSON to build, send and parse).
 */
export class SecondsColumns {
  private readonly meterIds: string[] = [];
  private readonly atMs: number[] = [];
  private readonly received: Array<number | null> = [];
  private readonly sent: Array<number | null> = [];
  private readonly lossRates: Array<number | null> = [];
  private readonly jitters: number[] = [];
  private readonly delays: Array<number | null> = [];
  private readonly mos: Array<number | null> = [];
  private readonly levels: number[] = [];
  private readonly flags: number[] = [];
  private readonly kinds: string[] = [];
  private readonly sides: string[] = [];
  private readonly streams: Array<string | null> = [];

  get size(): number {
    return this.meterIds.length;
  }

  add(meterId: string, s: MeteredSecond): void {
    const w = s.worst;
    let flags = 0;
    for (const flag of s.flags) flags |= FLAG_BITS[flag];
    this.meterIds.push(meterId);
    this.atMs.push(s.atMs);
    this.received.push(w.packetsReceived);
    this.sent.push(w.packetsSent);
    this.lossRates.push(w.lossRate);
    this.jitters.push(w.jitterMs);
    this.delays.push(w.oneWayDelayMs);
    this.mos.push(w.mos);
    this.levels.push(severity(s.level));
    this.flags.push(flags);
    this.kinds.push(w.kind);
    this.sides.push(w.side);
    this.streams.push(storedStreams(s));
  }

  /** The statement's parameters: numbers, kinds and sides as PostgreSQL array literals written here, the JSON left to the driver. */
  params(): unknown[] {
    return [
      `{${this.meterIds.join(',')}}`,
      numbers(this.atMs),
      numbers(this.received),
      numbers(this.sent),
      numbers(this.lossRates),
      numbers(this.jitters),
      numbers(this.delays),
      numbers(this.mos),
      numbers(this.levels),
      numbers(this.flags),
      words(this.kinds),
      words(this.sides),
      this.streams,
    ];
  }
}

/** A numeric array literal (`{1,NULL,2.5}`); JavaScript prints every finite number in a form PostgreSQL reads back exactly. */
function numbers(values: ReadonlyArray<number | null>): string {
  let text = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) text += ',';
    const v = values[i];
    text += v === null ? 'NULL' : String(v);
  }
  return `${text}}`;
}

/** A text array literal of words that need no quoting (`audio`, `agent-receive`: letters and hyphens only). */
const words = (values: readonly string[]): string => `{${values.join(',')}}`;
