/** One registered wait: true once its key changed, false when its time ran out or it was cancelled. */
export interface Waiter {
  readonly changed: Promise<boolean>;
  cancel(): void;
}

/**
 * In-process waits for the next change of a key (an agent's row), at most `max`
 * at a time. A wait is registered before the caller reads, so a change committed
 * between that read and the wait still wakes it.
 */
export class ChangeWaiters {
  private readonly byKey = new Map<string, Set<(changed: boolean) => void>>();
  private count = 0;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.count;
  }

  /** A wait on `key`'s next change, ending after `timeoutMs`; undefined when `max` waits are registered already. */
  register(key: string, timeoutMs: number): Waiter | undefined {
    if (this.count >= this.max) return undefined;
    let settle!: (changed: boolean) => void;
    const changed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => settle(false), timeoutMs);
      settle = (value) => {
        if (!this.remove(key, settle)) return;
        clearTimeout(timer);
        resolve(value);
      };
    });
    const waiting = this.byKey.get(key) ?? new Set();
    waiting.add(settle);
    this.byKey.set(key, waiting);
    this.count++;
    return { changed, cancel: () => settle(false) };
  }

  /** Wakes every wait on these keys. */
  wake(keys: Iterable<string>): void {
    for (const key of keys) for (const settle of this.byKey.get(key) ?? []) settle(true);
  }

  /** Ends every wait (false): the service stops. */
  cancelAll(): void {
    for (const waiting of [...this.byKey.values()]) for (const settle of waiting) settle(false);
  }

  private remove(key: string, settle: (changed: boolean) => void): boolean {
    const waiting = this.byKey.get(key);
    if (!waiting?.delete(settle)) return false;
    if (waiting.size === 0) this.byKey.delete(key);
    this.count--;
    return true;
  }
}
