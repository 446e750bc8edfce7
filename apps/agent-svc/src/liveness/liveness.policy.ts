/**
 * Softphone liveness. Issue 10: "The agent's softphone sends a heartbeat (default every 10 s); an agent whose
 * heartbeat is stale for 3 periods is not routable and shows `softphone-unreachable`, and comes back by
 * itself on the next heartbeat."
 */
export const DEFAULT_HEARTBEAT_SECONDS = 10;
export const STALE_AFTER_PERIODS = 3;

/** The instant a heartbeat at `beatAtMs` goes stale, if no other follows. */
export function staleAt(beatAtMs: number, periodSeconds: number): number {
  return beatAtMs + STALE_AFTER_PERIODS * periodSeconds * 1000;
}
