import { z } from 'zod';
import { Id, Timestamp } from '@softphone/contracts';
import { ValidationError } from '@softphone/errors';

const MAX_WINDOW_MS = 31 * 24 * 3600 * 1000;
const DEFAULT_WINDOW_MS = 3600 * 1000;

export const DashboardParams = z.strictObject({
  from: Timestamp.optional().describe('start of the window (default: 1 hour before `to`)'),
  to: Timestamp.optional().describe('end of the window, exclusive (default: now)'),
  orgUnitId: Id.optional().describe('only the agents of this org unit and of the units under it'),
  agentId: Id.optional(),
  top: z.coerce.number().int().min(1).max(100).default(10).describe('length of the most-affected lists'),
});

/** The window asked for, with its defaults: not empty, at most 31 days. */
export function dashboardWindow(params: z.infer<typeof DashboardParams>, now: Date): { from: Date; to: Date } {
  const to = params.to ? new Date(params.to) : now;
  const from = params.from ? new Date(params.from) : new Date(to.getTime() - DEFAULT_WINDOW_MS);
  if (from >= to) throw new ValidationError('from', 'from: must be before to');
  if (to.getTime() - from.getTime() > MAX_WINDOW_MS) throw new ValidationError('from', 'from: the window is at most 31 days');
  return { from, to };
}
