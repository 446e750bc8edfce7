import type { Decider } from '@softphone/decider';
import { ConcurrencyError } from '@softphone/errors';
import { appendToStream, appendToStreams, type StreamAppend } from './append.js';
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
  /** The tenant of the stream's first event (the one that started it); null for a stream not started. */
  tenantId: string | null;
}

export interface Decided<State> {
  events: RecordedEvent[];
  state: State;
  version: number;
}

/** A command to one stream (decideAll). */
export interface StreamCommand<C, S = unknown> {
  streamId: string;
  command: C;
  meta: EventMetadata;
  /**
   * The stream's state and version as read earlier (loadStreams, outside this transaction): decided on without reading
   * it again. Safe: the append expects that version, so a stream changed since is a lost race (null), never overwritten.
   */
  loaded?: Loaded<S>;
}

/**
 * Several streams' states, read in one statement (in a transaction or not: see StreamCommand.loaded). With a snapshot
 * policy, each stream from its snapshot (when kept) and the events after it.
 */
export async function loadStreams<C, E, S>(
  sql: Sql,
  streamIds: readonly string[],
  decider: Decider<C, E, S>,
  snapshot?: SnapshotPolicy,
): Promise<Array<Loaded<S>>> {
  if (streamIds.length === 0) return [];
  const ids = [...new Set(streamIds)];
  const rows = snapshot
    ? await sql.prepared<SnapshotAndEventRow<S>>('es_read_streams_from_snapshots', READ_STREAMS_FROM_SNAPSHOTS, [ids, snapshot.name])
    : await sql.prepared<EventRow>(
        'es_read_streams',
        `SELECT ${EVENT_COLUMNS} FROM es_events WHERE stream_id = ANY($1::text[]) ORDER BY stream_id, stream_version`,
        [ids],
      );
  const loaded = new Map<string, Loaded<S>>();
  for (const row of rows as Array<Partial<SnapshotAndEventRow<S>> & EventRow>) {
    const streamId = row.key_stream_id ?? row.stream_id;
    let stream = loaded.get(streamId);
    if (!stream) {
      const fromSnapshot = row.snapshot_version != null;
      stream = {
        state: fromSnapshot ? (row.snapshot_state as S) : decider.initialState,
        version: fromSnapshot ? row.snapshot_version! : 0,
        tenantId: row.stream_tenant_id !== undefined ? row.stream_tenant_id : row.tenant_id,
      };
      loaded.set(streamId, stream);
    }
    if (row.event_id === null) continue;
    stream.state = decider.evolve(stream.state, fromRow(row) as unknown as E);
    stream.version = row.stream_version;
  }
  return streamIds.map((id) => loaded.get(id) ?? { state: decider.initialState, version: 0, tenantId: null });
}

/** A stream's state after `version`, to keep as its snapshot when the events up to it crossed a multiple of the policy's `every`. */
export interface SnapshotCandidate<S> {
  streamId: string;
  /** The version the state was loaded at, before this transaction's events. */
  loadedVersion: number;
  version: number;
  state: S;
}

/** Whether a stream that went from `loadedVersion` to `version` has a snapshot due (one every `every` events). */
export const snapshotDue = (policy: SnapshotPolicy, loadedVersion: number, version: number): boolean =>
  Math.floor(version / policy.every) > Math.floor(loadedVersion / policy.every);

/**
 * Per stream (`unnest` of the ids): its snapshot's version, its state with the stream's first row only (the one
 * right after the snapshot, or the row of nulls when no event follows it), the tenant of its first event, and
 * the events after the snapshot; one row per event, one row of nulls for a stream with none after it.
 */
const READ_STREAMS_FROM_SNAPSHOTS = `
SELECT k.stream_id AS key_stream_id, s.version AS snapshot_version,
       CASE WHEN e.stream_version IS NULL OR e.stream_version = coalesce(s.version, 0) + 1 THEN s.state END AS snapshot_state,
       (SELECT tenant_id FROM es_events WHERE stream_id = k.stream_id AND stream_version = 1) AS stream_tenant_id,
       e.*
FROM unnest($1::text[]) AS k(stream_id)
LEFT JOIN es_snapshots s ON s.stream_id = k.stream_id AND s.name = $2
LEFT JOIN LATERAL (SELECT ${EVENT_COLUMNS} FROM es_events
                   WHERE stream_id = k.stream_id AND stream_version > coalesce(s.version, 0)) e ON true
ORDER BY k.stream_id, e.stream_version`;

export type { StreamAppend };

type SnapshotAndEventRow<S> = EventRow & {
  key_stream_id?: string;
  snapshot_version: number | null;
  snapshot_state: S | null;
  stream_tenant_id: string | null;
};

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
    const [loaded] = await loadStreams(this.sql, [streamId], decider, snapshot);
    return loaded;
  }

  async append(streamId: string, expectedVersion: number, events: readonly NewEvent[], meta: EventMetadata): Promise<RecordedEvent[]> {
    const recorded = await appendToStream(this.sql, streamId, expectedVersion, events, meta, this.now());
    await this.project(recorded);
    return recorded;
  }

  /**
   * Appends to several streams in one statement, each with its own optimistic
   * concurrency: a stream no longer at its expected version gets null and
   * nothing of it is kept, the others are appended. (The statement runs in a
   * savepoint; when it fails, each stream is appended alone, in a savepoint of
   * its own, to tell which one changed.)
   */
  async appendAll(appends: readonly StreamAppend[]): Promise<Array<RecordedEvent[] | null>> {
    let recorded: Array<RecordedEvent[] | null>;
    try {
      recorded = await this.inSavepoint(() => appendToStreams(this.sql, appends, this.now()));
    } catch (error) {
      if (!(error instanceof ConcurrencyError)) throw error;
      if (appends.length === 1) return [null];
      recorded = [];
      for (const { streamId, expectedVersion, events, meta } of appends) {
        try {
          recorded.push(await this.inSavepoint(() => appendToStream(this.sql, streamId, expectedVersion, events, meta, this.now())));
        } catch (lost) {
          if (!(lost instanceof ConcurrencyError)) throw lost;
          recorded.push(null);
        }
      }
    }
    await this.projectAll(recorded.flatMap((events) => events ?? []));
    return recorded;
  }

  /**
   * Load, decide, append: the command's events, and the state after them. `guard` sees the loaded
   * stream before the command is decided and throws to refuse it (another tenant's stream is not
   * found, say: the check costs no statement of its own).
   */
  async decide<C, E extends NewEvent, S>(
    streamId: string,
    decider: Decider<C, E, S>,
    command: C,
    meta: EventMetadata,
    snapshot?: SnapshotPolicy,
    guard?: (loaded: Loaded<S>) => void,
  ): Promise<Decided<S>> {
    const loaded = await this.load(streamId, decider, snapshot);
    guard?.(loaded);
    const events = decider.decide(command, loaded.state);
    const recorded = await this.append(streamId, loaded.version, events, meta);
    const state = events.reduce(decider.evolve, loaded.state);
    const version = loaded.version + events.length;
    if (snapshot) await this.saveSnapshots(snapshot, [{ streamId, loadedVersion: loaded.version, version, state }]);
    return { events: recorded, state, version };
  }

  /**
   * Appends to several streams in one statement, all or none: a stream no longer at its expected version throws a
   * ConcurrencyError, which gives up the whole transaction (PostgresEventStore.transaction runs the work again on a
   * fresh snapshot; nothing of it stays). For work that decided on several streams together and must not keep a part.
   */
  async appendTogether(appends: readonly StreamAppend[]): Promise<RecordedEvent[][]> {
    const recorded = await appendToStreams(this.sql, appends, this.now());
    await this.projectAll(recorded.flat());
    return recorded;
  }

  /** Keeps the snapshots due (snapshotDue) of streams this transaction appended to, in one statement. */
  async saveSnapshots<S>(policy: SnapshotPolicy, streams: readonly SnapshotCandidate<S>[]): Promise<void> {
    const due = streams.filter((s) => snapshotDue(policy, s.loadedVersion, s.version));
    if (due.length === 0) return;
    await this.sql.prepared(
      'es_save_snapshots',
      `INSERT INTO es_snapshots (stream_id, name, version, state)
       SELECT s.stream_id, $1, s.version, s.state::jsonb FROM unnest($2::text[], $3::int[], $4::text[]) AS s(stream_id, version, state)
       ON CONFLICT (stream_id, name) DO UPDATE SET version = EXCLUDED.version, state = EXCLUDED.state`,
      [policy.name, due.map((s) => s.streamId), due.map((s) => s.version), due.map((s) => JSON.stringify(s.state))],
    );
  }

  /**
   * decide, for several streams: their events loaded in one statement, each
   * command decided on its stream's state, all appended in one statement
   * (appendAll). Each result is the command's events and state, or null when
   * its stream changed since this transaction's snapshot (nothing appended for
   * it: decide it again in a transaction of its own). No snapshots: for short
   * streams. A command given its stream `loaded` is decided on that state.
   */
  async decideAll<C, E extends NewEvent, S>(
    decider: Decider<C, E, S>,
    commands: readonly StreamCommand<C, S>[],
  ): Promise<Array<Decided<S> | null>> {
    const unknown = commands.filter((c) => !c.loaded);
    const read = await loadStreams(
      this.sql,
      unknown.map((c) => c.streamId),
      decider,
    );
    const streams = commands.map((c) => c.loaded ?? read[unknown.indexOf(c)]);
    const decisions = commands.map((c, i) => ({ ...streams[i], events: decider.decide(c.command, streams[i].state) }));
    const recorded = await this.appendAll(
      commands.map((c, i) => ({ streamId: c.streamId, expectedVersion: decisions[i].version, events: decisions[i].events, meta: c.meta })),
    );
    return decisions.map((d, i) => {
      const events = recorded[i];
      return events && { events, state: d.events.reduce(decider.evolve, d.state), version: d.version + d.events.length };
    });
  }

  /** Runs after a successful commit only (publishing wake-ups, timers in memory...). */
  afterCommit(hook: () => void | Promise<void>): void {
    this.afterCommitHooks.push(hook);
  }

  /** The inline projections of one stream's appended events, event by event. */
  private async project(events: readonly RecordedEvent[]): Promise<void> {
    for (const event of events) {
      for (const projection of this.projections) {
        if (projection.handles(event.type)) await projection.apply(this.sql, event);
      }
    }
    this.appended.push(...events);
  }

  /** The inline projections of several streams' events appended together, projection by projection (applyAll when it has one). */
  private async projectAll(events: readonly RecordedEvent[]): Promise<void> {
    for (const projection of this.projections) {
      const handled = events.filter((event) => projection.handles(event.type));
      if (handled.length === 0) continue;
      if (projection.applyAll) await projection.applyAll(this.sql, handled);
      else for (const event of handled) await projection.apply(this.sql, event);
    }
    this.appended.push(...events);
  }

  private async inSavepoint<T>(work: () => Promise<T>): Promise<T> {
    await this.sql.execute('SAVEPOINT es_append');
    try {
      const result = await work();
      await this.sql.execute('RELEASE SAVEPOINT es_append');
      return result;
    } catch (error) {
      await this.sql.execute('ROLLBACK TO SAVEPOINT es_append');
      throw error;
    }
  }

  /** @internal called by the store once the transaction committed. */
  async committed(): Promise<void> {
    for (const hook of this.afterCommitHooks) await hook();
  }
}
