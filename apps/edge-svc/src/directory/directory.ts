import type { Envelope } from '@softphone/contracts';

/**
 * What the edge must know to scope the live channel like REST: each agent's org unit, each manager's org units, and
 * which agent each call is with (call events after the first name the call only). Built from tenant, agent and call
 * events, tenant by tenant (ids are only unique within a tenant).
 */
export interface Directory {
  /** `${tenantId}/${agentId}` -> org unit id. */
  readonly agentOrgUnit: Map<string, string>;
  /** `${tenantId}/${managerId}` -> org unit ids it manages. */
  readonly managerOrgUnits: Map<string, Set<string>>;
  /** `${tenantId}/${callId}` -> agent id, while the call lives. */
  readonly callAgent: Map<string, string>;
}

export const emptyDirectory = (): Directory => ({ agentOrgUnit: new Map(), managerOrgUnits: new Map(), callAgent: new Map() });

export const scoped = (tenantId: string, id: string) => `${tenantId}/${id}`;

/** Applies one event to the directory (idempotent: applying it twice changes nothing more). */
export function applyToDirectory(directory: Directory, event: Envelope): void {
  const t = event.tenantId;
  switch (event.type) {
    case 'agent.created':
      directory.agentOrgUnit.set(scoped(t, event.data.agentId), event.data.orgUnitId);
      return;
    case 'tenant.org-unit-manager-assigned': {
      // A unit has one manager: a new assignment takes it from the previous one.
      for (const [key, units] of directory.managerOrgUnits) {
        if (key.startsWith(`${t}/`)) units.delete(event.data.orgUnitId);
      }
      const key = scoped(t, event.data.manager.managerId);
      const units = directory.managerOrgUnits.get(key) ?? new Set<string>();
      units.add(event.data.orgUnitId);
      directory.managerOrgUnits.set(key, units);
      return;
    }
    case 'call.placed':
    case 'call.offered':
    case 'call.connected':
      directory.callAgent.set(scoped(t, event.data.callId), event.data.agentId);
      return;
    default:
      return;
  }
}

/** Forgets a call once its last events went out (the call's agent is named by call.ended itself). */
export function forgetCall(directory: Directory, event: Envelope): void {
  if (event.type === 'call.ended') directory.callAgent.delete(scoped(event.tenantId, event.data.callId));
}

/**
 * The durable part of the directory (org units of agents and of managers; calls are re-read from the call topic) and
 * the position it is complete up to: for each partition of the tenant and agent topics (`agent:0`), the last offset
 * applied.
 */
export interface DirectoryCheckpoint {
  positions: Record<string, number>;
  agentOrgUnit: [string, string][];
  managerOrgUnits: [string, string[]][];
}

export function checkpointOf(directory: Directory, positions: Record<string, number>): DirectoryCheckpoint {
  return {
    positions,
    agentOrgUnit: [...directory.agentOrgUnit],
    managerOrgUnits: [...directory.managerOrgUnits].map(([manager, units]) => [manager, [...units]]),
  };
}

/** Puts a checkpoint's org units into a directory (an empty one, at start). */
export function restoreCheckpoint(directory: Directory, checkpoint: DirectoryCheckpoint): void {
  for (const [agent, unit] of checkpoint.agentOrgUnit) directory.agentOrgUnit.set(agent, unit);
  for (const [manager, units] of checkpoint.managerOrgUnits) directory.managerOrgUnits.set(manager, new Set(units));
}
