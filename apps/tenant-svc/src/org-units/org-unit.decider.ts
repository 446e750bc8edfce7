import type { DataOf, TenantEvent } from '@softphone/contracts';
import type { Decider } from '@softphone/decider';
import { DomainError, NotFoundError } from '@softphone/errors';

export type OrgUnitEvent = Extract<TenantEvent, { type: 'tenant.org-unit-created' | 'tenant.org-unit-manager-assigned' }>;
export type OrgUnitManager = DataOf<OrgUnitEvent, 'tenant.org-unit-manager-assigned'>['manager'];

/**
 * What the command handler found in the same transaction: whether the parent
 * exists in the tenant, and whether a sibling already has the name.
 */
export type OrgUnitCommand =
  | {
      type: 'CreateOrgUnit';
      orgUnitId: string;
      name: string;
      parentOrgUnitId: string | null;
      parentExists: boolean;
      siblingNameTaken: boolean;
    }
  | { type: 'AssignOrgUnitManager'; orgUnitId: string; manager: OrgUnitManager };

export interface OrgUnitState {
  orgUnitId: string | null;
  manager: OrgUnitManager | null;
}

const initialState: OrgUnitState = { orgUnitId: null, manager: null };

export const orgUnitNameTaken = (name: string) =>
  new DomainError('ORG_UNIT_NAME_TAKEN', `another org unit under the same parent is already named "${name}"`, { field: 'name' });

const sameManager = (a: OrgUnitManager | null, b: OrgUnitManager) =>
  a !== null && a.managerId === b.managerId && a.name === b.name && a.email === b.email;

function decide(command: OrgUnitCommand, state: OrgUnitState): OrgUnitEvent[] {
  switch (command.type) {
    case 'CreateOrgUnit': {
      if (state.orgUnitId) throw new DomainError('ORG_UNIT_ALREADY_EXISTS', `org unit ${state.orgUnitId} already exists`);
      const { orgUnitId, name, parentOrgUnitId } = command;
      if (parentOrgUnitId !== null && !command.parentExists) throw new NotFoundError('org unit', parentOrgUnitId, 'parentOrgUnitId');
      if (command.siblingNameTaken) throw orgUnitNameTaken(name);
      return [{ type: 'tenant.org-unit-created', data: { orgUnitId, name, parentOrgUnitId } }];
    }
    case 'AssignOrgUnitManager':
      if (!state.orgUnitId) throw new NotFoundError('org unit', command.orgUnitId);
      if (sameManager(state.manager, command.manager)) return [];
      return [{ type: 'tenant.org-unit-manager-assigned', data: { orgUnitId: state.orgUnitId, manager: command.manager } }];
  }
}

function evolve(state: OrgUnitState, event: OrgUnitEvent): OrgUnitState {
  switch (event.type) {
    case 'tenant.org-unit-created':
      return { ...state, orgUnitId: event.data.orgUnitId };
    case 'tenant.org-unit-manager-assigned':
      return { ...state, manager: event.data.manager };
    default:
      return state;
  }
}

export const orgUnitDecider: Decider<OrgUnitCommand, OrgUnitEvent, OrgUnitState> = { initialState, decide, evolve };

export const orgUnitStream = (tenantId: string, orgUnitId: string) => `org-unit-${tenantId}:${orgUnitId}`;
