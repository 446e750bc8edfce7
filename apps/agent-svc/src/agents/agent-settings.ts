import { z } from 'zod';
import { DEFAULT_HEARTBEAT_SECONDS } from '../liveness/liveness.policy.js';

export const AGENT_SETTINGS = Symbol('AGENT_SETTINGS');

const Env = z.object({
  SOFTPHONE_HEARTBEAT_SECONDS: z.coerce.number().min(0.2).max(300).default(DEFAULT_HEARTBEAT_SECONDS),
  UPSTREAM_FACT_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(3_000),
});

export interface AgentSettings {
  /** How often a softphone sends its heartbeat. */
  heartbeatSeconds: number;
  /** How long a command waits for a fact of tenant-svc (an org unit, a skill queue) it has not consumed yet. */
  upstreamFactWaitMs: number;
}

/** agent-svc's own settings, validated from its environment. */
export function agentSettings(env: Readonly<Record<string, string | undefined>>): AgentSettings {
  const parsed = Env.safeParse(env);
  if (!parsed.success)
    throw new Error(`invalid agent-svc configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { heartbeatSeconds: parsed.data.SOFTPHONE_HEARTBEAT_SECONDS, upstreamFactWaitMs: parsed.data.UPSTREAM_FACT_WAIT_MS };
}
