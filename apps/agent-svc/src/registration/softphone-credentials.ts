import { createHmac } from 'node:crypto';
import type { AgentEvent, Envelope } from '@softphone/contracts';

type RegistrationRequested = Extract<AgentEvent, { type: 'agent.softphone-registration-requested' }>;

export interface SoftphoneCredentials {
  /** The id of the agent.softphone-registration-requested event that asked this phone to register. */
  registrationId: string;
  /** What the password derives from: the same for both pool phones (published in that event). */
  credentialId: string;
  phoneId: number;
  number: string;
  password: string;
  gatewayId: string;
  gatewayAddress: string;
}

/**
 * The password the browser phone registers with: HMAC-SHA256 of tenant, agent
 * and the credential id, keyed by SOFTPHONE_SECRET (which the gateways share).
 * Never stored nor published; the pool phones share it because they share the credential.
 */
function passwordOf(secret: string, tenantId: string, agentId: string, credentialId: string): string {
  return createHmac('sha256', secret).update(`${tenantId}:${agentId}:${credentialId}`).digest('base64url').slice(0, 24);
}

/** The credentials of the phones a registration asks to register. */
export function credentialsFor(
  secret: string,
  tenantId: string,
  requested: { id: string; data: RegistrationRequested['data'] },
): SoftphoneCredentials[] {
  const { agentId, credentialId } = requested.data;
  const password = passwordOf(secret, tenantId, agentId, credentialId);
  return requested.data.phones.map((phone) => ({ registrationId: requested.id, credentialId, ...phone, password }));
}

/**
 * The credentials each phone holds now, from the agent's events: the last
 * registration asked of each phone since the phones were last unregistered
 * (a registration agent-svc started by itself, e.g. when WebRTC is enabled, is
 * fetched by the browser phone this way).
 */
export function currentCredentials(secret: string, tenantId: string, events: readonly Envelope[]): SoftphoneCredentials[] {
  const byPhone = new Map<number, SoftphoneCredentials>();
  for (const event of events as ReadonlyArray<Envelope<AgentEvent>>) {
    if (event.type === 'agent.softphone-registration-requested') {
      for (const credentials of credentialsFor(secret, tenantId, event)) byPhone.set(credentials.phoneId, credentials);
    } else if (event.type === 'agent.softphones-unregistered' || event.type === 'agent.signed-out') {
      byPhone.clear();
    }
  }
  return [...byPhone.values()].sort((a, b) => a.phoneId - b.phoneId);
}
