import type { Checkpoint, EncodedEvent } from '@softphone/event-store';

export interface ReadBatch {
  events: EncodedEvent[];
  /** When the read that found these events started (epoch ms, the producer spans start there). */
  startedAt: number;
}

const now = () => performance.timeOrigin + performance.now();

/**
 * Reads the log batch after batch, each read starting as soon as the one before
 * it answered, up to `depth` batches ahead of the caller: the relay's reads no
 * longer wait for a publish to finish, nor its publishes for a read. Stops
 * reading after an empty batch. Batches come in log order.
 */
export class ReadAhead {
  private readonly queue: Array<Promise<ReadBatch>> = [];
  private tail: Promise<ReadBatch>;

  constructor(
    private readonly read: (after: Checkpoint) => Promise<EncodedEvent[]>,
    from: Checkpoint,
    private readonly depth: number,
  ) {
    this.tail = this.readAfter(from);
    this.enqueue(this.tail);
  }

  /** The next batch (empty once the log is read to its end). */
  next(): Promise<ReadBatch> {
    const batch = this.queue.shift()!;
    while (this.queue.length < this.depth) this.enqueue(this.chained());
    return batch;
  }

  private chained(): Promise<ReadBatch> {
    this.tail = this.tail.then(({ events }) =>
      events.length === 0 ? { events, startedAt: now() } : this.readAfter(events[events.length - 1]),
    );
    return this.tail;
  }

  private async readAfter(after: Checkpoint): Promise<ReadBatch> {
    const startedAt = now();
    return { events: await this.read(after), startedAt };
  }

  /** A batch nobody takes (the relay stopped) must not become an unhandled rejection. */
  private enqueue(batch: Promise<ReadBatch>): void {
    batch.catch(() => undefined);
    this.queue.push(batch);
  }
}
