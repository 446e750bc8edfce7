import { z } from 'zod';

/** The Kafka topic family an event belongs to (see topics.ts for the names). */
export type EventTopic = 'tenant' | 'agent' | 'call' | 'quality';

export interface EventDefinition<Type extends string = string, Data extends z.ZodType = z.ZodType> {
  readonly type: Type;
  readonly schemaVersion: number;
  readonly topic: EventTopic;
  readonly data: Data;
  readonly description: string;
  /** Kept in its service's own log only, never published to Kafka (not a contract with other services). */
  readonly internal?: true;
}

export function defineEvent<Type extends string, Data extends z.ZodType>(
  topic: EventTopic,
  type: Type,
  schemaVersion: number,
  description: string,
  data: Data,
): EventDefinition<Type, Data> {
  return { type, schemaVersion, topic, data, description };
}

/** An event a service keeps in its own log only: validated on append like any other, never published. */
export function defineInternalEvent<Type extends string, Data extends z.ZodType>(
  topic: EventTopic,
  type: Type,
  description: string,
  data: Data,
): EventDefinition<Type, Data> {
  return { ...defineEvent(topic, type, 1, description, data), internal: true };
}

/** `{ type, data }` union of every event in a group of definitions. */
export type EventOf<Defs extends Record<string, EventDefinition>> = {
  [K in keyof Defs]: { type: Defs[K]['type']; data: z.infer<Defs[K]['data']> };
}[keyof Defs];

/** The data of one event type within a union built by EventOf. */
export type DataOf<E extends { type: string; data: unknown }, T extends E['type']> = Extract<E, { type: T }>['data'];
