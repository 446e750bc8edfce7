import { SignJWT } from 'jose';
import { newSigningKey, signToken, type Principal } from '@softphone/auth';
import { testSigningKey, testToken } from '@softphone/testing';

const now = () => Math.floor(Date.now() / 1000);
const claimsOf = (p: Principal) => ({ sub: p.subject, role: p.role, tenantId: p.tenantId, iss: 'softphone', aud: 'softphone-api' });

/** Bad tokens for a principal that would otherwise be allowed: each must be refused with 401. */
export const FORGED_TOKENS: Record<string, (p: Principal) => Promise<string | null>> = {
  'no token': async () => null,
  'expired token': (p) => testToken(p, -120),
  'token without exp': (p) =>
    new SignJWT({ ...claimsOf(p), iat: now() })
      .setProtectedHeader({ alg: 'EdDSA', kid: testSigningKey.kid })
      .sign(testSigningKey.privateKey),
  'token living 100 years': (p) =>
    new SignJWT({ ...claimsOf(p), iat: now(), exp: now() + 100 * 365 * 86_400 })
      .setProtectedHeader({ alg: 'EdDSA', kid: testSigningKey.kid })
      .sign(testSigningKey.privateKey),
  'token signed with another key': (p) => signToken(p, newSigningKey(testSigningKey.kid)),
  'token with alg none': async (p) =>
    `${Buffer.from(JSON.stringify({ alg: 'none', kid: testSigningKey.kid })).toString('base64url')}.${Buffer.from(
      JSON.stringify({ ...claimsOf(p), iat: now(), exp: now() + 600 }),
    ).toString('base64url')}.`,
};
