import type { DataSource, QueryRunner } from 'typeorm';

/**
 * A PostgreSQL session advisory lock on a connection of its own: held while
 * that connection lives, released by the server when it dies. Used so that only
 * one instance of a service runs its outbox relay.
 */
interface NotifyingConnection {
  on(event: 'notification', listener: (message: { channel: string }) => void): void;
  off(event: 'notification', listener: (message: { channel: string }) => void): void;
}

/** A held lock's connection is checked at most this often by tryAcquire. */
const VERIFY_INTERVAL_MS = 1_000;

export class LeaderLock {
  private runner?: QueryRunner;
  private held = false;
  private verifiedAt = 0;
  private listening?: { connection: NotifyingConnection; listener: (message: { channel: string }) => void };

  constructor(
    private readonly dataSource: DataSource,
    private readonly name: string,
  ) {}

  get isHeld(): boolean {
    return this.held;
  }

  /**
   * Takes the lock if free; while held, true, checking its connection at most
   * every VERIFY_INTERVAL_MS (its loss is also seen at once when the connection
   * errors or ends): a holder called on every wake-up pays no round trip for it.
   */
  async tryAcquire(): Promise<boolean> {
    if (this.held) return performance.now() - this.verifiedAt < VERIFY_INTERVAL_MS || this.verify();
    const runner = this.dataSource.createQueryRunner();
    try {
      const [row] = (await runner.query('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [this.name])) as Array<{ locked: boolean }>;
      if (!row.locked) {
        await runner.release();
        return false;
      }
      this.runner = runner;
      this.held = true;
      this.verifiedAt = performance.now();
      const connection = (await runner.connect()) as { once?(event: string, listener: () => void): void };
      connection.once?.('error', () => (this.held = false));
      connection.once?.('end', () => (this.held = false));
      await runner.query('SET synchronous_commit TO off');
      return true;
    } catch {
      if (this.runner === runner) await this.release();
      else await runner.release().catch(() => undefined);
      return false;
    }
  }

  /**
   * Runs a statement on the lock's own connection, while the lock is held.
   * Its commits do not wait for the WAL flush: meant for state that may be
   * lost in a server crash without harm (the relay's checkpoint: a lost one
   * only means some events are published again).
   */
  async executeRelaxed(text: string, params: unknown[]): Promise<void> {
    if (!this.held || !this.runner) throw new Error(`lock ${this.name} is not held`);
    await this.runner.query(text, params);
  }

  /**
   * While the lock is held, calls `onNotify` for every NOTIFY on `channel`
   * (LISTEN on the lock's own connection); once per holding, later calls do nothing.
   */
  async listen(channel: string, onNotify: () => void): Promise<void> {
    if (!this.held || !this.runner || this.listening) return;
    const connection = (await this.runner.connect()) as NotifyingConnection;
    const listener = (message: { channel: string }) => {
      if (message.channel === channel) onNotify();
    };
    connection.on('notification', listener);
    this.listening = { connection, listener };
    await this.runner.query(`LISTEN ${channel}`);
  }

  /** Checks the lock's connection is still alive (the lock is gone with it otherwise). */
  async verify(): Promise<boolean> {
    if (!this.held || !this.runner) return false;
    try {
      await this.runner.query('SELECT 1');
      this.verifiedAt = performance.now();
      return this.held;
    } catch {
      await this.release();
      return false;
    }
  }

  async release(): Promise<void> {
    const runner = this.runner;
    const listening = this.listening;
    this.runner = undefined;
    this.listening = undefined;
    this.held = false;
    listening?.connection.off('notification', listening.listener);
    if (!runner) return;
    if (listening) await runner.query('UNLISTEN *').catch(() => undefined);
    await runner.query('SELECT pg_advisory_unlock(hashtext($1))', [this.name]).catch(() => undefined);
    // The connection goes back to the pool: give it back its durable commits.
    await runner.query('RESET synchronous_commit').catch(() => undefined);
    await runner.release().catch(() => undefined);
  }
}
