/**
 * Our own messaging interface. Services and the relay depend on this, never on
 * kafkajs directly, so the client library can be replaced in one place.
 */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
  /** The message's time (ms since the epoch) when not the time it is sent. */
  timestamp?: number;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** The message's timestamp: when the producer created it (ms since the epoch). */
  timestamp: number;
}

export interface BatchContext {
  /** Marks a message handled: its offset may be committed. */
  done(message: IncomingMessage): void;
  /** Keeps the group membership alive during long work (cheap when not due). */
  heartbeat(): Promise<void>;
  /** False once the subscription is stopping or lost its partitions. */
  isRunning(): boolean;
  /** Continues this batch's partition at `offset` (consumers keeping their own offsets); the rest of the batch is to be left. */
  seek(offset: string): void;
}

export type BatchHandler = (messages: IncomingMessage[], context: BatchContext) => Promise<void>;

export interface SubscribeOptions {
  groupId: string;
  topics: string[];
  /** Where a new consumer group starts: the beginning of the topics (default) or only new messages. */
  fromBeginning?: boolean;
  handler: BatchHandler;
}

/** How topics created by ensureTopics keep their messages: forever unless retentionMs is given. */
export interface TopicOptions {
  retentionMs?: number;
}

export interface Subscription {
  stop(): Promise<void>;
}

/** A message read by a tail, with the broker's timestamp (ms). */
export interface TailMessage extends IncomingMessage {
  timestamp: number;
}

export interface TailOptions {
  topics: string[];
  /**
   * Where each topic is read from: its beginning, or its first message at or after a time (ms since the epoch) —
   * and, with `noLaterThan`, no later than these offsets (by partition; a partition it does not name: its beginning).
   */
  from(topic: string): 'beginning' | { timestamp: number; noLaterThan?: ReadonlyMap<number, number> };
  /** Prefix of the tail's private consumer group (no offsets are ever committed in it). */
  groupPrefix: string;
  /** Called once the start and end offsets are known, before any message. */
  starting?(offsets: { starts: ReadonlyMap<PartitionKey, number>; ends: ReadonlyMap<PartitionKey, number> }): void;
  /** Called with each fetched batch of one partition, in offset order; the next batch waits for it. */
  handler(messages: TailMessage[]): Promise<void> | void;
}

/** `${topic}:${partition}` */
export type PartitionKey = string;

export interface Tail {
  /** The first offset the tail reads in each partition. */
  readonly starts: ReadonlyMap<PartitionKey, number>;
  /** The end offset (next offset to be written) of each partition when the tail started. */
  readonly ends: ReadonlyMap<PartitionKey, number>;
  stop(): Promise<void>;
}

export interface MessageBroker {
  /**
   * Creates the topics that are missing and this principal may create, then
   * waits until the `required` ones (default: all) exist with their partition
   * leaders (another principal's topics: until their owner or the provisioning
   * created them).
   */
  ensureTopics(names: string[], partitions: number, required?: string[], options?: TopicOptions): Promise<void>;
  /** The topics this principal may see. */
  listTopics(): Promise<string[]>;
  /** Resolves once every message is acknowledged by the broker (all in-sync replicas). */
  publish(messages: OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /**
   * Reads every partition of the topics (no sharing with other instances: each tail gets all messages), from where
   * `from` says, for as long as it runs.
   */
  tail(options: TailOptions): Promise<Tail>;
  /** Throws when the broker cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
