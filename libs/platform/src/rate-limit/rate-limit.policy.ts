/**
 * Rates, counted in fixed windows shared by every instance (Redis):
 * - mutating requests (POST, PUT, PATCH, DELETE) per principal (tenant, role,
 *   subject), gateways with a limit of their own (they report for every call);
 * - failed authentications per client address.
 * Over the limit: 429 with Retry-After, the seconds left in the window.
 */

export const MUTATING_METHODS: readonly string[] = ['POST', 'PUT', 'PATCH', 'DELETE'];

export type RateBucket = 'writes' | 'gateway-writes' | 'auth-failures';

/** Which bucket a request of an authenticated principal counts in; null: not limited (reads). */
export function bucketOf(method: string, role: string): RateBucket | null {
  if (!MUTATING_METHODS.includes(method.toUpperCase())) return null;
  return role === 'gateway' ? 'gateway-writes' : 'writes';
}

/** The window a moment falls in, and how long until it ends. */
export function windowOf(nowMs: number, windowSeconds: number): { index: number; endsInMs: number } {
  const size = windowSeconds * 1000;
  const index = Math.floor(nowMs / size);
  return { index, endsInMs: (index + 1) * size - nowMs };
}

/** null when the count is within the limit; otherwise the Retry-After in whole seconds (at least 1). */
export function retryAfter(count: number, limit: number, endsInMs: number): number | null {
  return count <= limit ? null : Math.max(1, Math.ceil(endsInMs / 1000));
}
