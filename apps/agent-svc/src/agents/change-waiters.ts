/** One registered wait: true once its key changed, false when its time ran out or it was cancelled. */
export interface Waiter<T> {
  readonly changed: Promise<boolean>;
  /** What the change came with, if anything (the key's new value, as the change committed it). */
  readonly value: T | undefined;
  cancel(): void;
}

type Settle<T> = (changed: boolean, value?: T) => void;

/**
 * In-process waits for the next change of a key (an agent's row), at most `max`
 * at a time. A wait is registered before the caller reads, so a change committed
 * between that read and the wait still wakes it.
 */
export class ChangeWaiters<T = never> {
  private readonly byKey = new Map<string, Set<Settle<T>>>();
  private count = 0;

  constructor(private readonly max: number) {}

  get size(): number {
    return this.count;
  }

  /** Whether any wait is registered on `key`. */
  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** A wait on `key`'s next change, ending after `timeoutMs`; undefined when `max` waits are registered already. */
  register(key: string, timeoutMs: number): Waiter<T> | undefined {
    if (this.count >= this.max) return undefined;
    let settle!: Settle<T>;
    let value: T | undefined;
    const changed = new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => settle(false), timeoutMs);
      settle = (hasChanged, newValue) => {
        if (!this.remove(key, settle)) return;
        clearTimeout(timer);
        value = newValue;
        resolve(hasChanged);
      };
    });
    const waiting = this.byKey.get(key) ?? new Set();
    waiting.add(settle);
    this.byKey.set(key, waiting);
    this.count++;
    return {
      changed,
      get value() {
        return value;
      },
      cancel: () => settle(false),
    };
  }

  /** Wakes every wait on these keys, each with the value `valueOf` gives for its key (if any). */
  wake(keys: Iterable<string>, valueOf?: (key: string) => T | undefined): void {
    for (const key of keys) {
      const waiting = this.byKey.get(key);
      if (!waiting) continue;
      const value = valueOf?.(key);
      for (const settle of waiting) settle(true, value);
    }
  }

  /** Ends every wait (false): the service stops. */
  cancelAll(): void {
    for (const waiting of [...this.byKey.values()]) for (const settle of waiting) settle(false);
  }

  private remove(key: string, settle: Settle<T>): boolean {
    const waiting = this.byKey.get(key);
    if (!waiting?.delete(settle)) return false;
    if (waiting.size === 0) this.byKey.delete(key);
    this.count--;
    return true;
  }
}
