import type { Decider } from '@softphone/decider';
import { appendToStream } from './append.js';
import { EVENT_COLUMNS, fromRow, type EventRow } from './event-codec.js';
import type { InlineProjection } from './projection.js';
import type { Sql } from './sql.js';
import type { EventMetadata, NewEvent, RecordedEvent } from './types.js';

/** Keep a snapshot of a stream's folded state every `every` events (state must be plain JSON). */
export interface SnapshotPolicy {
  /** Name and version of the state's shape: change it when evolve changes. */
  name: string;
  every: number;
}

export interface Loaded<State> {
  state: State;
  version: number;
}

export interface Decided<State> {
  events: RecordedEvent[];
  state: State;
  version: number;
}

type SnapshotAndEventRow<S> = EventRow & { snapshot_version: number | null; snapshot_state: S | null };

/**
 * One PostgreSQL transaction (REPEATABLE READ): load streams, append to them with
 * their expected versions, write read models and inbox records; all or nothing.
 */
export class UnitOfWork {
  private readonly appended: RecordedEvent[] = [];
  private readonly afterCommitHooks: Array<() => void | Promise<void>> = [];

  constructor(
    readonly sql: Sql,
    private readonly projections: readonly InlineProjection[],
    private readonly now: () => Date,
  ) {}

  get appendedEvents(): readonly RecordedEvent[] {
    return this.appended;
  }

  async readStream(streamId: string, afterVersion = 0): Promise<RecordedEvent[]> {
    const rows = await this.sql.rows<EventRow>(
      `SELECT ${EVENT_COLUMNS} FROM es_events WHERE stream_id = $1 AND stream_version > $2 ORDER BY stream_version`,
      [streamId, afterVersion],
    );
    return rows.map(fromRow);
  }

  /** A stream's state: from its snapshot (when kept) and the events after it, read in one statement. */
  async load<C, E, S>(streamId: string, decider: Decider<C, E, S>, snapshot?: SnapshotPolicy): Promise<Loaded<S>> {
    let state = decider.initialState;
    let version = 0;
    if (!snapshot) {
      for (const event of await this.readStream(streamId)) {
        state = decider.evolve(state, event as unknown as E);
        version = event.streamVersion;
      }
      return { state, version };
    }
    // One row per event after the snapshot (one row of nulls when there is none); the state comes with the first only.
    const rows = await this.sql.rows<SnapshotAndEventRow<S>>(
      `SELECT s.version AS snapshot_version,
              CASE WHEN e.stream_version IS NULL OR e.stream_version = coalesce(s.version, 0) + 1 THEN s.state END AS snapshot_state,
              e.*
       FROM (VALUES (1)) AS one
       LEFT JOIN es_snapshots s ON s.stream_id = $1 AND s.name = $2
       LEFT JOIN LATERAL (SELECT ${EVENT_COLUMNS} FROM es_events
                          WHERE stream_id = $1 AND stream_version > coalesce(s.version, 0)) e ON true
       ORDER BY e.stream_version`,
      [streamId, snapshot.name],
    );
    if (rows[0]?.snapshot_version != null) {
      state = rows[0].snapshot_state as S;
      version = rows[0].snapshot_version;
    }
    for (const row of rows) {
      if (row.event_id === null) continue;
      const event = fromRow(row);
      state = decider.evolve(state, event as unknown as E);
      version = event.streamVersion;
    }
    return { state, version };
  }

  async append(streamId: string, expectedVersion: number, events: readonly NewEvent[], meta: EventMetadata): Promise<RecordedEvent[]> {
    const recorded = await appendToStream(this.sql, streamId, expectedVersion, events, meta, this.now());
    for (const event of recorded) {
      for (const projection of this.projections) {
        if (projection.handles(event.type)) await projection.apply(this.sql, event);
      }
    }
    this.appended.push(...recorded);
    return recorded;
  }

  /** Load, decide, append: the command's events, and the state after them. */
  async decide<C, E extends NewEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    meta: EventMetadata,
    snapshot?: SnapshotPolicy,
  ): Promise<Decided<S>> {
    const loaded = await this.load(streamId, decider, snapshot);
    const events = decider.decide(command, loaded.state);
    const recorded = await this.append(streamId, loaded.version, events, meta);
    const state = events.reduce(decider.evolve, loaded.state);
    const version = loaded.version + events.length;
    if (snapshot && recorded.length > 0 && Math.floor(version / snapshot.every) > Math.floor(loaded.version / snapshot.every)) {
      await this.sql.execute(
        `INSERT INTO es_snapshots (stream_id, name, version, state) VALUES ($1, $2, $3, $4::jsonb)
         ON CONFLICT (stream_id, name) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state`,
        [streamId, snapshot.name, version, JSON.stringify(state)],
      );
    }
    return { events: recorded, state, version };
  }

  /** Runs after a successful commit only (publishing wake-ups, timers in memory...). */
  afterCommit(hook: () => void | Promise<void>): void {
    this.afterCommitHooks.push(hook);
  }

  /** @internal called by the store once the transaction committed. */
  async committed(): Promise<void> {
    for (const hook of this.afterCommitHooks) await hook();
  }
}
