import { z } from 'zod';

const ROLES = ['all', 'api', 'timers'] as const;

/**
 * What a call-svc process runs: everything (all); the HTTP API, the consumers and the dispatchers (api); or the
 * durable timers (timers: auto-answers, guards, ring timeouts, holds, wrap-ups), with /health and /metrics only.
 * One api and one timers process give the timers a CPU of their own.
 */
export type CallSvcRole = (typeof ROLES)[number];

const Env = z.object({ CALL_SVC_ROLE: z.enum(ROLES).default('all') });

/** CALL_SVC_ROLE, validated: a bad value stops the service at start-up. */
export function callSvcRole(env: Readonly<Record<string, string | undefined>>): CallSvcRole {
  const parsed = Env.safeParse(env);
  if (!parsed.success)
    throw new Error(`invalid call-svc configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.CALL_SVC_ROLE;
}
