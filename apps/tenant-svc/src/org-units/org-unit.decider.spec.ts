import { describe, it } from '@jest/globals';
import { deciderSpec } from '@softphone/testing';
import { orgUnitDecider, type OrgUnitCommand, type OrgUnitEvent } from './org-unit.decider.js';

const spec = deciderSpec(orgUnitDecider);
const orgUnitId = 'ou-sales';
const manager = { managerId: 'm1', name: 'Mia', email: 'mia@acme.example' };

const create = (overrides: Partial<Extract<OrgUnitCommand, { type: 'CreateOrgUnit' }>> = {}): OrgUnitCommand => ({
  type: 'CreateOrgUnit',
  orgUnitId,
  name: 'Sales',
  parentOrgUnitId: null,
  parentExists: false,
  siblingNameTaken: false,
  ...overrides,
});
const created = (parentOrgUnitId: string | null = null): OrgUnitEvent => ({
  type: 'tenant.org-unit-created',
  data: { orgUnitId, name: 'Sales', parentOrgUnitId },
});
const assigned = (m = manager): OrgUnitEvent => ({ type: 'tenant.org-unit-manager-assigned', data: { orgUnitId, manager: m } });

describe('org unit decider', () => {
  describe('create', () => {
    it('creates a root unit', () => spec.given([]).when(create()).then([created()]));
    it('creates a unit under an existing parent', () =>
      spec
        .given([])
        .when(create({ parentOrgUnitId: 'ou-root', parentExists: true }))
        .then([created('ou-root')]));
    it('refuses a parent that does not exist in the tenant (404 on parentOrgUnitId)', () =>
      spec
        .given([])
        .when(create({ parentOrgUnitId: 'ou-nope', parentExists: false }))
        .thenFails('ORG_UNIT_NOT_FOUND', { status: 404, field: 'parentOrgUnitId' }));
    it('refuses a name a sibling already has', () =>
      spec
        .given([])
        .when(create({ siblingNameTaken: true }))
        .thenFails('ORG_UNIT_NAME_TAKEN', { status: 409, field: 'name' }));
    it('refuses to create it twice', () => spec.given([created()]).when(create()).thenFails('ORG_UNIT_ALREADY_EXISTS', { status: 409 }));
  });

  describe('assign a manager', () => {
    const assign = (m = manager): OrgUnitCommand => ({ type: 'AssignOrgUnitManager', orgUnitId, manager: m });
    it('assigns the first manager', () => spec.given([created()]).when(assign()).then([assigned()]));
    it('replaces the manager', () => {
      const next = { managerId: 'm2', name: 'Noah', email: 'noah@acme.example' };
      spec
        .given([created(), assigned()])
        .when(assign(next))
        .then([assigned(next)]);
    });
    it('records a changed e-mail of the same manager', () => {
      const moved = { ...manager, email: 'mia@new.example' };
      spec
        .given([created(), assigned()])
        .when(assign(moved))
        .then([assigned(moved)]);
    });
    it('does nothing when the manager is already assigned', () => spec.given([created(), assigned()]).when(assign()).then([]));
    it('answers 404 for a unit that does not exist', () => spec.given([]).when(assign()).thenFails('ORG_UNIT_NOT_FOUND', { status: 404 }));
  });
});
