import type { AgentEvent, TenantEvent } from '@softphone/contracts';
import type { PhoneId } from '../routing/routing.policy.js';

/** What call-svc does about a fact of another service, once its directory holds it. */
export type DirectoryReaction =
  /** The agent may be able to take a waiting call now. */
  | { kind: 'route-agent'; agentId: string }
  /** The agent can no longer answer a call still ringing on `phoneId` (null: any of its phones). */
  | { kind: 'withdraw-calls'; agentId: string; phoneId: PhoneId | null }
  /** Calls held because `dialed` was unknown can go where it leads now. */
  | { kind: 'resolve-held-calls'; dialed: string };

/**
 * The reactions to agent-svc's and tenant-svc's events. An agent who signs in,
 * registers a phone, gets new queues or whose softphone is reachable again may
 * take the oldest waiting call; one who signs out or loses the phone a call
 * rings on gives that call back (issue 10: "The call goes back to the head of
 * its queue"); an access code or an agent's number that appears resolves the
 * calls held for it (issue 10: "an unknown destination is held briefly").
 */
export function reactionsTo(event: TenantEvent | AgentEvent): DirectoryReaction[] {
  switch (event.type) {
    case 'agent.signed-in':
    case 'agent.softphone-registered':
    case 'agent.skill-queues-bound':
    case 'agent.softphone-reachable':
      return [{ kind: 'route-agent', agentId: event.data.agentId }];
    case 'agent.signed-out':
    case 'agent.softphones-unregistered':
      return [{ kind: 'withdraw-calls', agentId: event.data.agentId, phoneId: null }];
    case 'agent.softphone-registration-failed':
    case 'agent.softphone-deregistered':
      return [{ kind: 'withdraw-calls', agentId: event.data.agentId, phoneId: event.data.phoneId }];
    case 'agent.created':
      return [{ kind: 'resolve-held-calls', dialed: event.data.softphoneNumber }];
    case 'tenant.skill-queue-created':
    case 'tenant.ivr-created':
      return [{ kind: 'resolve-held-calls', dialed: event.data.accessCode }];
    default:
      return [];
  }
}
