import { z } from 'zod';
import { loadConfig, type ServiceConfig, type ServiceDefaults } from '@softphone/platform';
import { SERVICES } from '@softphone/service-catalog';

export const EDGE_SERVICE: ServiceDefaults = SERVICES['edge-svc'];

const EdgeEnv = z.object({
  TENANT_SVC_URL: z.url().default('http://127.0.0.1:3001'),
  AGENT_SVC_URL: z.url().default('http://127.0.0.1:3002'),
  CALL_SVC_URL: z.url().default('http://127.0.0.1:3003'),
  QUALITY_SVC_URL: z.url().default('http://127.0.0.1:3004'),
  /** How far back a browser can resume from (and how far back each instance reads at start). */
  LIVE_WINDOW_SECONDS: z.coerce.number().int().min(10).max(3_600).default(600),
  /** At most this many events kept for resumes per instance. */
  LIVE_WINDOW_MAX_EVENTS: z.coerce.number().int().min(1_000).max(5_000_000).default(500_000),
  /** How far back the call topic is read at start, to know the agent of calls that started before the window. */
  LIVE_CALL_LOOKBACK_HOURS: z.coerce.number().min(0).max(48).default(4),
  /** A browser with more than this queued and unsent is cut off (it resumes when it reconnects). */
  LIVE_MAX_BUFFERED_BYTES: z.coerce
    .number()
    .int()
    .min(65_536)
    .default(8 * 1024 * 1024),
  /** How often an instance saves its directory's checkpoint to Redis (it starts from the last one). */
  LIVE_DIRECTORY_CHECKPOINT_SECONDS: z.coerce.number().min(1).max(3_600).default(60),
  /** Seconds a new connection has to authenticate. */
  LIVE_AUTH_TIMEOUT_SECONDS: z.coerce.number().min(1).max(60).default(5),
});

export interface EdgeConfig extends ServiceConfig {
  upstreams: { tenant: string; agent: string; call: string; quality: string };
  live: {
    windowMs: number;
    windowMaxEvents: number;
    callLookbackMs: number;
    maxBufferedBytes: number;
    authTimeoutMs: number;
    directoryCheckpointMs: number;
  };
}

export const EDGE_CONFIG = Symbol('EDGE_CONFIG');

/** The platform's configuration and the edge's own (upstream services, live channel bounds). */
export function loadEdgeConfig(env: NodeJS.ProcessEnv = process.env): EdgeConfig {
  const parsed = EdgeEnv.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid configuration of edge-svc: ${problems}`);
  }
  const e = parsed.data;
  return {
    ...loadConfig(EDGE_SERVICE, env),
    upstreams: { tenant: e.TENANT_SVC_URL, agent: e.AGENT_SVC_URL, call: e.CALL_SVC_URL, quality: e.QUALITY_SVC_URL },
    live: {
      windowMs: e.LIVE_WINDOW_SECONDS * 1000,
      windowMaxEvents: e.LIVE_WINDOW_MAX_EVENTS,
      callLookbackMs: e.LIVE_CALL_LOOKBACK_HOURS * 3_600_000,
      maxBufferedBytes: e.LIVE_MAX_BUFFERED_BYTES,
      authTimeoutMs: e.LIVE_AUTH_TIMEOUT_SECONDS * 1000,
      directoryCheckpointMs: e.LIVE_DIRECTORY_CHECKPOINT_SECONDS * 1000,
    },
  };
}
