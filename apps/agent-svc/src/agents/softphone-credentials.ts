import { createHmac } from 'node:crypto';
import type { AgentEvent } from '@softphone/contracts';

export interface SoftphoneCredentials {
  /** The id of the agent.softphone-registration-requested event the password derives from. */
  registrationId: string;
  phoneId: number;
  number: string;
  password: string;
  gatewayId: string;
  gatewayAddress: string;
}

/**
 * The credentials the browser phone registers with. The password is derived
 * (HMAC-SHA256 of tenant, agent and the registration's event id, keyed by
 * SOFTPHONE_SECRET, which the gateways share): it is never stored nor
 * published, and both pool phones of one registration share it.
 */
export function credentialsFor(
  secret: string,
  tenantId: string,
  requested: { id: string; data: Extract<AgentEvent, { type: 'agent.softphone-registration-requested' }>['data'] },
): SoftphoneCredentials[] {
  const password = createHmac('sha256', secret)
    .update(`${tenantId}:${requested.data.agentId}:${requested.id}`)
    .digest('base64url')
    .slice(0, 24);
  return requested.data.phones.map((phone) => ({ registrationId: requested.id, ...phone, password }));
}
