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

/** Longest wait of GET /agents/:id for a newer row. */
export const MAX_WAIT_MS = 5_000;

/** A whole number in a query string, 0 to `max`. */
const wholeNumber = (max: number) =>
  z
    .string()
    .regex(/^[0-9]{1,10}$/, 'a whole number')
    .transform(Number)
    .pipe(z.number().max(max));

export const AgentQuery = z
  .strictObject({
    afterVersion: wholeNumber(2 ** 31 - 1)
      .optional()
      .describe('answer a row at a greater version (the `version` of an earlier answer), waiting up to waitMs for it'),
    waitMs: wholeNumber(MAX_WAIT_MS).default(0).describe(`how long to wait for that row (0 to ${MAX_WAIT_MS}); then the current row`),
  })
  .refine((query) => query.waitMs === 0 || query.afterVersion !== undefined, {
    path: ['afterVersion'],
    message: 'required with waitMs',
  });

export const BoardQuery = z.strictObject({ orgUnitId: Id.optional() });

export const HistoryQuery = z.strictObject({ at: z.iso.datetime({ offset: true }).optional() });
