import { UnavailableError } from '@softphone/errors';

export interface BatcherOptions {
  /** Items one run takes at most. */
  batch: number;
  /** Runs at the same time, at most (each holds a database connection). */
  writers: number;
  /** Items waiting beyond this are refused (503): the service is overloaded. */
  maxWaiting: number;
}

interface Waiting<T, R> {
  item: T;
  done: (result: R) => void;
  fail: (error: unknown) => void;
}

/**
 * Runs submitted items together: up to `batch` per run (one transaction), by at most `writers` runs at once;
 * items submitted while the writers are busy wait in memory for the next run, instead of each waiting for a
 * connection of its own (a burst of requests never exhausts the pool). An item alone is run at once. A run
 * that fails runs its items one by one, so one item's failure is its own.
 */
export class Batcher<T, R> {
  private readonly waiting: Array<Waiting<T, R>> = [];
  private writers = 0;

  constructor(
    private readonly run: (items: T[]) => Promise<R[]>,
    private readonly options: BatcherOptions,
  ) {}

  submit(item: T): Promise<R> {
    if (this.waiting.length >= this.options.maxWaiting) return Promise.reject(new UnavailableError('call-svc (too many calls arriving)'));
    return new Promise<R>((done, fail) => {
      this.waiting.push({ item, done, fail });
      this.write();
    });
  }

  private write(): void {
    if (this.writers >= this.options.writers) return;
    this.writers++;
    void this.drain().finally(() => {
      this.writers--;
      if (this.waiting.length > 0) this.write();
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.options.batch);
      try {
        const results = await this.run(batch.map((w) => w.item));
        batch.forEach((w, i) => w.done(results[i]));
      } catch (error) {
        if (batch.length === 1) batch[0].fail(error);
        else for (const w of batch) await this.run([w.item]).then(([result]) => w.done(result), w.fail);
      }
    }
  }
}
