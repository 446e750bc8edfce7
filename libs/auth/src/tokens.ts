import type { KeyObject } from 'node:crypto';
import { createLocalJWKSet, errors, jwtVerify, SignJWT, type JSONWebKeySet } from 'jose';
import { UnauthorizedError } from '@softphone/errors';
import { ROLES, type Principal, type Role } from './principal.js';
import { VerifiedTokens } from './verified-tokens.js';

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

export interface TokenVerifierOptions {
  /** Verified tokens kept (skipping their signature check until they expire); 0 checks every time. */
  cacheSize?: number;
  /** Epoch milliseconds (tests). */
  now?: () => number;
}

/**
 * Verifies tokens against a public key set (JWKS; several keys during a rollover,
 * chosen by `kid`): signature, issuer, audience, and the claims exp, iat, sub,
 * a lifetime of at most maxLifetimeSeconds, with clock tolerance. 401 with a
 * stable code otherwise. A token that passed is remembered until it would fail
 * on time (its exp, or its iat older than maxLifetimeSeconds): the key set does
 * not change while the service runs.
 */
export function tokenVerifier(
  publicKeys: JSONWebKeySet,
  policy: TokenPolicy = DEFAULT_TOKEN_POLICY,
  options: TokenVerifierOptions = {},
): TokenVerifier {
  const keys = createLocalJWKSet(publicKeys);
  const verified = new VerifiedTokens(options.cacheSize ?? 10_000);
  const now = options.now ?? Date.now;
  return async (token) => {
    const at = now();
    const known = verified.get(token, at / 1000);
    if (known) return { ...known };
    try {
      const { payload } = await jwtVerify(token, keys, {
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: [...TOKEN_ALGORITHMS],
        requiredClaims: ['exp', 'iat', 'sub'],
        clockTolerance: policy.clockToleranceSeconds,
        maxTokenAge: policy.maxLifetimeSeconds,
        currentDate: new Date(at),
      });
      const { exp, iat } = payload as { exp: number; iat: number };
      if (exp - iat > policy.maxLifetimeSeconds) {
        throw new UnauthorizedError('AUTH_TOKEN_INVALID', `the token lives longer than ${policy.maxLifetimeSeconds} s`);
      }
      const role = payload.role as Role;
      if (!payload.sub || !ROLES.includes(role) || typeof payload.tenantId !== 'string' || !payload.tenantId) {
        throw new UnauthorizedError('AUTH_TOKEN_INVALID', 'the token lacks a subject, a known role or a tenant');
      }
      const principal = { subject: payload.sub, role, tenantId: payload.tenantId };
      verified.remember(token, principal, Math.min(exp, iat + policy.maxLifetimeSeconds) + policy.clockToleranceSeconds);
      return principal;
    } catch (error) {
      if (error instanceof UnauthorizedError) throw error;
      if (error instanceof errors.JWTExpired) throw new UnauthorizedError('AUTH_TOKEN_EXPIRED', 'the token has expired');
      throw new UnauthorizedError('AUTH_TOKEN_INVALID', 'the token is not valid');
    }
  };
}
