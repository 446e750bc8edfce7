import { ForbiddenError, NotFoundError } from '@softphone/errors';
import type { Principal } from './principal.js';

/** A caller sees only its own tenant (a system admin sees all). */
export function canAccessTenant(principal: Principal, tenantId: string): boolean {
  return principal.role === 'system-admin' || principal.tenantId === tenantId;
}

/**
 * Another tenant's resource is reported as missing (404), so its existence is
 * not revealed.
 */
export function assertTenantAccess(principal: Principal, tenantId: string, resource: string, id: string): void {
  if (!canAccessTenant(principal, tenantId)) throw new NotFoundError(resource, id);
}

/** An agent acts only as itself; admins of the tenant may act for its agents. */
export function assertActsAsAgent(principal: Principal, agentId: string): void {
  if (principal.role === 'agent' && principal.subject !== agentId) {
    throw new ForbiddenError('AUTH_OTHER_AGENT', 'an agent can only act as itself');
  }
}
