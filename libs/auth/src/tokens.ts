import type { KeyObject } from 'node:crypto';
import { createLocalJWKSet, errors, jwtVerify, SignJWT, type JSONWebKeySet } from 'jose';
import { UnauthorizedError } from '@softphone/errors';
import { ROLES, type Principal, type Role } from './principal.js';

const ISSUER = 'softphone';
const AUDIENCE = 'softphone-api';
/** Asymmetric only: a service holds public keys and can verify tokens, never mint them. */
export const TOKEN_ALGORITHMS = ['EdDSA', 'RS256'] as const;
export type TokenAlgorithm = (typeof TOKEN_ALGORITHMS)[number];

/** What a token must satisfy beyond its signature. */
export interface TokenPolicy {
  /** Longest accepted lifetime (exp − iat), and oldest accepted iat. */
  maxLifetimeSeconds: number;
  /** Clock skew tolerated on exp, iat and nbf. */
  clockToleranceSeconds: number;
}

export const DEFAULT_TOKEN_POLICY: TokenPolicy = { maxLifetimeSeconds: 12 * 3600, clockToleranceSeconds: 30 };

/** The identity provider's private key (never given to a service). */
export interface SigningKey {
  kid: string;
  alg: TokenAlgorithm;
  privateKey: KeyObject;
}

/** A bearer token for a principal, signed with the identity provider's key; lifetime in seconds. */
export async function signToken(principal: Principal, key: SigningKey, ttlSeconds = 3600): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ role: principal.role, tenantId: principal.tenantId })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject(principal.subject)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(key.privateKey);
}

export type TokenVerifier = (token: string) => Promise<Principal>;

/**
 * Verifies tokens against a public key set (JWKS; several keys during a rollover,
 * chosen by `kid`): signature, issuer, audience, and the claims exp, iat, sub,
 * a lifetime of at most maxLifetimeSeconds, with clock tolerance. 401 with a
 * stable code otherwise.
 */
export function tokenVerifier(publicKeys: JSONWebKeySet, policy: TokenPolicy = DEFAULT_TOKEN_POLICY): TokenVerifier {
  const keys = createLocalJWKSet(publicKeys);
  const verified = new VerifiedTokens();
  return async (token) => {
    const known = verified.get(token);
    if (known) return known;
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: [...TOKEN_ALGORITHMS],
        requiredClaims: ['exp', 'iat', 'sub'],
        clockTolerance: policy.clockToleranceSeconds,
        maxTokenAge: policy.maxLifetimeSeconds,
      });
      const { exp, iat } = payload as { exp: number; iat: number };
      if (exp - iat > policy.maxLifetimeSeconds) {
        throw new UnauthorizedError('AUTH_TOKEN_INVALID', `the token lives longer than ${policy.maxLifetimeSeconds} s`);
      }
      const role = payload.role as Role;
      if (!payload.sub || !ROLES.includes(role) || typeof payload.tenantId !== 'string' || !payload.tenantId) {
        throw new UnauthorizedError('AUTH_TOKEN_INVALID', 'the token lacks a subject, a known role or a tenant');
      }
      const principal: Principal = { subject: payload.sub, role, tenantId: payload.tenantId };
      // Accepted until exp (with the tolerance); iat + maxLifetimeSeconds is never earlier, as exp − iat was checked.
      verified.set(token, principal, (exp + policy.clockToleranceSeconds) * 1000);
      return principal;
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      if (error instanceof errors.JWTExpired) throw new UnauthorizedError('AUTH_TOKEN_EXPIRED', 'the token has expired');
      throw new UnauthorizedError('AUTH_TOKEN_INVALID', 'the token is not valid');
    }
  };
}

/** Verified tokens the cache holds at most; the oldest entry goes first. */
const VERIFIED_TOKENS = 10_000;

/**
 * Tokens already verified by this verifier (same key set, same policy), each with the instant it stops being
 * accepted: a token's signature and claims do not change, so until then verifying it again would say the same.
 * An expired entry is verified again (and refused as expired).
 */
class VerifiedTokens {
  private readonly entries = new Map<string, { principal: Principal; acceptedUntilMs: number }>();

  get(token: string): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (Date.now() < entry.acceptedUntilMs) return entry.principal;
    this.entries.delete(token);
    return undefined;
  }

  set(token: string, principal: Principal, acceptedUntilMs: number): void {
    if (this.entries.size >= VERIFIED_TOKENS) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(token, { principal, acceptedUntilMs });
  }
}
