import { z } from 'zod';
import { Id } from '@softphone/contracts';

/** The first message a browser sends: its token (never in the URL), where to resume from, and a system admin's tenants. */
export const LiveAuth = z.strictObject({
  token: z.string().min(1).max(8_192),
  /** The last position the browser saw (from `ready`, `event` and `position` frames), to resume without gap. */
  position: z.record(z.string().regex(/^(tenant|agent|call|quality):\d{1,5}$/), z.number().int().min(-1)).nullish(),
  /** Required for a system admin: the tenants it wants to follow. */
  tenants: z.array(Id).min(1).max(1_000).optional(),
});
