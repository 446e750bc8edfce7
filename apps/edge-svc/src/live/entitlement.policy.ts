import type { Envelope, EventTopic, QualitySecond, QualitySecondsMessage } from '@softphone/contracts';
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
 * Whether a listener follows what happens to an agent of a tenant (`agentId` null: no agent yet, e.g. a waiting call,
 * or not an agent's event): a system admin the tenants it asked for; a tenant admin everything of its tenant; an
 * agent itself only; an OU manager the agents of the org units it manages. Another tenant's never.
 */
export function followsAgent(listener: Listener, tenantId: string, agentId: string | null, directory: Directory): boolean {
  switch (listener.role) {
    case 'system-admin':
      return listener.tenants.has(tenantId);
    case 'tenant-admin':
      return tenantId === listener.tenantId;
    case 'agent':
      return tenantId === listener.tenantId && agentId !== null && agentId === listener.subject;
    case 'ou-manager': {
      if (tenantId !== listener.tenantId || agentId === null) return false;
      const unit = directory.agentOrgUnit.get(scoped(tenantId, agentId));
      return unit !== undefined && (directory.managerOrgUnits.get(scoped(tenantId, listener.subject))?.has(unit) ?? false);
    }
  }
}

/**
 * Whether a live event goes to a listener: the same scope as REST (`followsAgent` for the agent the event is about),
 * and an OU manager's own inbox's events to that manager.
 */
export function isEntitled(listener: Listener, event: Envelope, topic: EventTopic, directory: Directory): boolean {
  if (listener.role === 'ou-manager' && MANAGER_INBOX_EVENTS.has(event.type)) {
    return event.tenantId === listener.tenantId && field(event, 'managerId') === listener.subject;
  }
  return followsAgent(listener, event.tenantId, agentOf(event, topic, directory), directory);
}

/** The measured seconds of a tenant's calls a listener may see: those of the agents it follows. */
export function entitledSeconds(listener: Listener, message: QualitySecondsMessage, directory: Directory): QualitySecond[] {
  const { tenantId } = message;
  return message.seconds.filter((second) =>
    followsAgent(listener, tenantId, second.agentId ?? directory.callAgent.get(scoped(tenantId, second.callId)) ?? null, directory),
  );
}
