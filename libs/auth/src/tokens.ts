import { errors, jwtVerify, SignJWT } from 'jose';
import { UnauthorizedError } from '@softphone/errors';
import { ROLES, type Principal, type Role } from './principal.js';

const ISSUER = 'softphone';
const AUDIENCE = 'softphone-api';

const key = (secret: string) => new TextEncoder().encode(secret);

/** A signed HS256 bearer token for a principal. */
export async function signToken(principal: Principal, secret: string, ttlSeconds = 12 * 3600): Promise<string> {
  return new SignJWT({ role: principal.role, tenantId: principal.tenantId })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.subject)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key(secret));
}

/** Verifies signature, issuer, audience and expiry; 401 with a stable code otherwise. */
export async function verifyToken(token: string, secret: string): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    const role = payload.role as Role;
    if (!payload.sub || !ROLES.includes(role) || typeof payload.tenantId !== 'string') {
      throw new UnauthorizedError('AUTH_TOKEN_INVALID', 'the token lacks a subject, a known role or a tenant');
    }
    return { subject: payload.sub, role, tenantId: payload.tenantId };
  } catch (error) {
    if (error instanceof UnauthorizedError) throw error;
    if (error instanceof errors.JWTExpired) throw new UnauthorizedError('AUTH_TOKEN_EXPIRED', 'the token has expired');
    throw new UnauthorizedError('AUTH_TOKEN_INVALID', 'the token is not valid');
  }
}
