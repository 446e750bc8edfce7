import type { EventDefinition } from './define-event.js';
import { agentEvents, type AgentEvent } from './events/agent.js';
import { callEvents, type CallEvent } from './events/call.js';
import { qualityEvents, type QualityEvent } from './events/quality.js';
import { tenantEvents, type TenantEvent } from './events/tenant.js';

const allEvents: readonly EventDefinition[] = [
  ...Object.values(tenantEvents),
  ...Object.values(agentEvents),
  ...Object.values(callEvents),
  ...Object.values(qualityEvents),
];

/** Every published event type of the system (the contracts between services), current schema versions. */
export const eventCatalog: readonly EventDefinition[] = allEvents.filter((d) => !d.internal);

/** Events a service keeps in its own log only (never on Kafka). */
export const internalEventCatalog: readonly EventDefinition[] = allEvents.filter((d) => d.internal);

export type DomainEvent = TenantEvent | AgentEvent | CallEvent | QualityEvent;
export type EventType = DomainEvent['type'];

const byType = new Map<string, EventDefinition>(allEvents.map((d) => [d.type, d]));
if (byType.size !== allEvents.length) throw new Error('event catalog: duplicate event type');

/** The definition of any event type, published or internal. */
export function eventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}

/** True for an event type other services may see on Kafka. */
export function isPublished(type: string): boolean {
  const definition = byType.get(type);
  return definition !== undefined && !definition.internal;
}
