import { z } from 'zod';
import { AuthMode, Id, Name, PhoneNumber, Reason } from '@softphone/contracts';

export const CreateAgentBody = z.strictObject({
  name: Name,
  orgUnitId: Id,
  workNumber: z.string().regex(/^[0-9]{1,10}$/, '1 to 10 digits'),
  softphoneNumber: PhoneNumber.describe('the WebRTC softphone number (both pool phones share it)'),
  authMode: AuthMode.default('uap'),
});

export const SkillQueuesBody = z.strictObject({
  skillQueueIds: z
    .array(Id)
    .max(100)
    .refine((ids) => new Set(ids).size === ids.length, 'skill queue ids must be unique'),
});

export const BoundPhoneBody = z.strictObject({ kind: z.enum(['fixed-line', 'mobile']), number: PhoneNumber });

export const AuthModeBody = z.strictObject({ authMode: AuthMode });

export const RegisterBody = z.strictObject({
  phoneId: z
    .union([z.literal(1), z.literal(2)])
    .nullable()
    .default(null)
    .describe('one phone only (re-register a failed pool phone); null: every phone'),
});

export const RegistrationResultBody = z.strictObject({
  outcome: z.enum(['registered', 'failed', 'deregistered']),
  reason: Reason.min(1).nullable().default(null),
});

export const BoardQuery = z.strictObject({ orgUnitId: Id.optional() });

export const HistoryQuery = z.strictObject({ at: z.iso.datetime({ offset: true }).optional() });
