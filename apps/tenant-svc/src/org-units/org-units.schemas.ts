import { z } from 'zod';
import { Email, Id, Name } from '@softphone/contracts';

export const CreateOrgUnitBody = z.strictObject({
  name: Name.describe('unique among the units under the same parent, case-insensitively'),
  parentOrgUnitId: Id.nullable().default(null).describe('the unit above it in the tree (absent or null: a root unit)'),
});

export const ManagerBody = z.strictObject({
  managerId: Id,
  name: Name,
  email: Email.describe('where the internal messages about the unit are mailed'),
});
