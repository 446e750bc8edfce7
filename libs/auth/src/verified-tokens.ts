import type { Principal } from './principal.js';

interface Verified {
  principal: Principal;
  /** Epoch seconds after which the token no longer passes (expiry or oldest accepted iat, tolerance included). */
  until: number;
}

/**
 * Tokens whose signature and claims were verified, until they expire: a
 * service's key set is fixed while it runs, so a token that passed once passes
 * until then, and verifying its signature again on every request (the largest
 * part of a small request) is skipped. Only successes are kept; at most
 * `capacity` tokens, the oldest forgotten first.
 */
export class VerifiedTokens {
  private readonly tokens = new Map<string, Verified>();

  constructor(private readonly capacity: number) {}

  /** The principal of a token verified before and still within its validity at `now` (epoch seconds). */
  get(token: string, now: number): Principal | undefined {
    const verified = this.tokens.get(token);
    if (!verified) return undefined;
    if (now > verified.until) {
      this.tokens.delete(token);
      return undefined;
    }
    return verified.principal;
  }

  remember(token: string, principal: Principal, until: number): void {
    if (this.capacity <= 0) return;
    if (this.tokens.size >= this.capacity) this.tokens.delete(this.tokens.keys().next().value!);
    this.tokens.set(token, { principal, until });
  }
}
