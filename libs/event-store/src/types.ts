import type { Envelope } from '@softphone/contracts';

/** An event to append: its type (from the contracts catalog) and data. */
export interface NewEvent {
  type: string;
  data: unknown;
}

/** Who asked: copied into every appended event's envelope. */
export interface EventMetadata {
  tenantId: string;
  correlationId: string;
  causationId?: string | null;
}

/** A stored event: the envelope plus its place in the global log. */
export type RecordedEvent = Envelope & {
  /** Global position (bigint as text). */
  position: string;
  /** Id of the transaction that appended it (xid8 as text). */
  transactionId: string;
};

/** A stored event ready to publish: routing fields and the envelope as JSON text. */
export interface EncodedEvent {
  position: string;
  transactionId: string;
  id: string;
  type: string;
  streamId: string;
  correlationId: string;
  /** W3C traceparent of the span that appended it (null while tracing is off). */
  traceParent: string | null;
  envelope: string;
}

/** A place in the global log, ordered by (transactionId, position). */
export interface Checkpoint {
  transactionId: string;
  position: string;
}

export const START: Checkpoint = { transactionId: '0', position: '0' };
