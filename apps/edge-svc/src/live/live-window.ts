import type { Envelope, EventTopic } from '@softphone/contracts';

/** A position: for each partition (`${topic}:${partition}`, short topic names) the last offset seen. */
export type Position = Record<string, number>;

/** One event in the window, with the frame every entitled connection receives (serialized once). */
export interface LiveEntry {
  key: string;
  topic: EventTopic;
  offset: number;
  /** The broker's timestamp (ms). */
  at: number;
  event: Envelope;
  frame: string;
}

interface PartitionWindow {
  entries: LiveEntry[];
  /** Index of the oldest entry still kept (entries before it are dropped lazily). */
  first: number;
  /** Offsets up to this one are no longer available for a resume. */
  evictedThrough: number;
  /** The last offset read. */
  last: number;
}

/**
 * The recent events of every partition, kept in memory by each edge instance so a browser that reconnects to any
 * instance with the last position it saw gets what it missed. Bounded by age and by count.
 */
export class LiveWindow {
  private readonly partitions = new Map<string, PartitionWindow>();
  private size = 0;

  constructor(
    private readonly maxAgeMs: number,
    private readonly maxEntries: number,
  ) {}

  /** Declares a partition read from `start`: nothing before it can be resumed from this instance. */
  open(key: string, start: number): void {
    this.partitions.set(key, { entries: [], first: 0, evictedThrough: start - 1, last: start - 1 });
  }

  /** Records an entry (offsets grow within a partition) and evicts what has grown too old or too many. */
  append(entry: LiveEntry, now: number): void {
    const partition = this.partition(entry.key);
    partition.entries.push(entry);
    partition.last = entry.offset;
    this.size += 1;
    this.evict(now);
  }

  /** An offset read but not kept (older than the window, or a message that fails its contract). */
  pass(key: string, offset: number, keptForResume: boolean): void {
    const partition = this.partition(key);
    partition.last = offset;
    if (!keptForResume) partition.evictedThrough = offset;
  }

  /** The last offset read in each partition. */
  head(): Position {
    const position: Position = {};
    for (const [key, partition] of this.partitions) position[key] = partition.last;
    return position;
  }

  /**
   * The entries after `position`, oldest first per partition; `expired` when some partition's missed events are no
   * longer kept. A partition the position does not name is read from the start of the window.
   */
  since(position: Position): { entries: LiveEntry[] } | { expired: string } {
    const entries: LiveEntry[] = [];
    for (const [key, partition] of this.partitions) {
      const from = position[key] ?? partition.evictedThrough;
      if (from < partition.evictedThrough) return { expired: key };
      for (let i = partition.first; i < partition.entries.length; i += 1) {
        if (partition.entries[i].offset > from) entries.push(partition.entries[i]);
      }
    }
    return { entries: entries.sort((a, b) => a.at - b.at) };
  }

  get count(): number {
    return this.size;
  }

  private partition(key: string): PartitionWindow {
    let partition = this.partitions.get(key);
    if (!partition) {
      partition = { entries: [], first: 0, evictedThrough: -1, last: -1 };
      this.partitions.set(key, partition);
    }
    return partition;
  }

  private evict(now: number): void {
    const oldestKept = now - this.maxAgeMs;
    for (const partition of this.partitions.values()) {
      while (partition.first < partition.entries.length && partition.entries[partition.first].at < oldestKept) this.drop(partition);
    }
    while (this.size > this.maxEntries) {
      let oldest: PartitionWindow | null = null;
      for (const partition of this.partitions.values()) {
        const head = partition.entries[partition.first];
        if (head && (!oldest || head.at < oldest.entries[oldest.first].at)) oldest = partition;
      }
      if (!oldest) break;
      this.drop(oldest);
    }
  }

  private drop(partition: PartitionWindow): void {
    partition.evictedThrough = partition.entries[partition.first].offset;
    partition.first += 1;
    this.size -= 1;
    if (partition.first > 1024 && partition.first * 2 > partition.entries.length) {
      partition.entries = partition.entries.slice(partition.first);
      partition.first = 0;
    }
  }
}
