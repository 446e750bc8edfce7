/**
 * How long a live connection may stay open: until its token expires, with the same clock tolerance REST accepts
 * (a request with that token would be refused from then on). `expiresAt` is the token's `exp` (seconds since the
 * epoch); the answer is milliseconds from `nowMs`, 0 when it is already due.
 */
export function connectionLifetimeMs(expiresAt: number, clockToleranceSeconds: number, nowMs: number): number {
  return Math.max(0, (expiresAt + clockToleranceSeconds) * 1000 - nowMs);
}
