import type { EventDefinition } from './define-event.js';
import { agentEvents, type AgentEvent } from './events/agent.js';
import { callEvents, type CallEvent } from './events/call.js';
import { qualityEvents, type QualityEvent } from './events/quality.js';
import { tenantEvents, type TenantEvent } from './events/tenant.js';

/** Every event type of the system, current schema versions. */
export const eventCatalog: readonly EventDefinition[] = [
  ...Object.values(tenantEvents),
  ...Object.values(agentEvents),
  ...Object.values(callEvents),
  ...Object.values(qualityEvents),
];

export type DomainEvent = TenantEvent | AgentEvent | CallEvent | QualityEvent;
export type EventType = DomainEvent['type'];

const byType = new Map<string, EventDefinition>(eventCatalog.map((d) => [d.type, d]));
if (byType.size !== eventCatalog.length) throw new Error('event catalog: duplicate event type');

export function eventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}
