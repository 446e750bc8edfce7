/**
 * Our own messaging interface. Services and the relay depend on this, never on
 * kafkajs directly, so the client library can be replaced in one place.
 */
export interface OutgoingMessage {
  topic: string;
  key: string;
  value: string;
  headers?: Record<string, string>;
}

export interface IncomingMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  value: Buffer | null;
  headers: Record<string, string>;
  /** When the producer created it (ms since the epoch, as text). */
  timestamp: string;
}

export interface BatchContext {
  /** Marks a message handled: its offset may be committed. */
  done(message: IncomingMessage): void;
  /** Keeps the group membership alive during long work (cheap when not due). */
  heartbeat(): Promise<void>;
  /** False once the subscription is stopping or lost its partitions. */
  isRunning(): boolean;
}

export type BatchHandler = (messages: IncomingMessage[], context: BatchContext) => Promise<void>;

export interface SubscribeOptions {
  groupId: string;
  topics: string[];
  /** Where a new consumer group starts: the beginning of the topics (default) or only new messages. */
  fromBeginning?: boolean;
  handler: BatchHandler;
}

export interface Subscription {
  stop(): Promise<void>;
}

export interface MessageBroker {
  ensureTopics(names: string[], partitions: number): Promise<void>;
  /** Resolves once every message is acknowledged by the broker (all in-sync replicas). */
  publish(messages: OutgoingMessage[]): Promise<void>;
  subscribe(options: SubscribeOptions): Promise<Subscription>;
  /** Throws when the broker cannot be reached. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
