import { describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import { signToken, verifyToken } from './tokens.js';

const principal = { subject: 'agent-1', role: 'agent' as const, tenantId: 't1' };

describe('tokens', () => {
  it('round-trips a principal', async () => {
    expect(await verifyToken(await signToken(principal, 's3cret'), 's3cret')).toEqual(principal);
  });

  it('rejects an expired token with AUTH_TOKEN_EXPIRED', async () => {
    const token = await signToken(principal, 's3cret', -10);
    await expect(verifyToken(token, 's3cret')).rejects.toMatchObject({ status: 401, code: 'AUTH_TOKEN_EXPIRED' });
  });

  it('rejects a token signed with another secret with AUTH_TOKEN_INVALID', async () => {
    const token = await signToken(principal, 'other');
    await expect(verifyToken(token, 's3cret')).rejects.toMatchObject({ status: 401, code: 'AUTH_TOKEN_INVALID' });
  });

  it('rejects a well-signed token with an unknown role', async () => {
    const token = await new SignJWT({ role: 'root', tenantId: 't1' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('softphone')
      .setAudience('softphone-api')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('s3cret'));
    await expect(verifyToken(token, 's3cret')).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
  });

  it('rejects an unsigned token', async () => {
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(
      JSON.stringify({ sub: 'x', role: 'system-admin', tenantId: 't1', iss: 'softphone', aud: 'softphone-api' }),
    ).toString('base64url')}.`;
    await expect(verifyToken(unsigned, 's3cret')).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
  });
});
