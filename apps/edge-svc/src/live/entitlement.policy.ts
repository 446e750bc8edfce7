import type { Envelope, EventTopic } from '@softphone/contracts';
import { scoped, type Directory } from '../directory/directory.js';

/** Who listens on a live connection, and what a system admin asked for. */
export interface Listener {
  role: 'system-admin' | 'tenant-admin' | 'agent' | 'ou-manager';
  tenantId: string;
  /** The agent id of an agent, the manager id of an OU manager. */
  subject: string;
  /** A system admin's choice of tenants (a system admin receives nothing it did not ask for). */
  tenants: ReadonlySet<string>;
}

const MANAGER_INBOX_EVENTS = new Set([
  'quality.manager-notified',
  'quality.manager-digest-notified',
  'quality.manager-message-read',
  'quality.manager-message-mailed',
]);

function field(event: Envelope, name: string): string | null {
  const value = (event.data as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : null;
}

/** The agent an agent, call or quality event is about (a call event may name only its call), or null. */
export function agentOf(event: Envelope, topic: EventTopic, directory: Directory): string | null {
  if (topic === 'tenant' || MANAGER_INBOX_EVENTS.has(event.type)) return null;
  const agentId = field(event, 'agentId');
  if (agentId) return agentId;
  const callId = field(event, 'callId');
  return callId ? (directory.callAgent.get(scoped(event.tenantId, callId)) ?? null) : null;
}

/**
 * Whether a live event goes to a listener: the same scope as REST. Another tenant's events never; a system admin the
 * tenants it asked for; a tenant admin everything of its tenant; an agent its own agent, call and quality events; an
 * OU manager the events of the agents of the org units it manages, and its own inbox's events.
 */
export function isEntitled(listener: Listener, event: Envelope, topic: EventTopic, directory: Directory): boolean {
  if (listener.role === 'system-admin') return listener.tenants.has(event.tenantId);
  if (event.tenantId !== listener.tenantId) return false;
  switch (listener.role) {
    case 'tenant-admin':
      return true;
    case 'agent':
      return topic !== 'tenant' && agentOf(event, topic, directory) === listener.subject;
    case 'ou-manager': {
      if (MANAGER_INBOX_EVENTS.has(event.type)) return field(event, 'managerId') === listener.subject;
      const agentId = agentOf(event, topic, directory);
      if (!agentId) return false;
      const unit = directory.agentOrgUnit.get(scoped(event.tenantId, agentId));
      return unit !== undefined && (directory.managerOrgUnits.get(scoped(event.tenantId, listener.subject))?.has(unit) ?? false);
    }
  }
}
