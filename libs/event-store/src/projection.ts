import type { Sql } from './sql.js';
import type { RecordedEvent } from './types.js';

/**
 * A read model kept in the same transaction as the events it is built from, so
 * it is never behind its own service's writes. A unique constraint in a read
 * model (an access code unique in a tenant, say) therefore guards the append.
 */
export interface InlineProjection {
  readonly name: string;
  handles(eventType: string): boolean;
  apply(sql: Sql, event: RecordedEvent): Promise<void>;
  /** The events (of several streams, each stream's in order) that one statement appended (UnitOfWork.appendAll); default: apply each. */
  applyAll?(sql: Sql, events: readonly RecordedEvent[]): Promise<void>;
  /** Empties the read model; a rebuild then replays every event through apply. */
  reset(sql: Sql): Promise<void>;
}
