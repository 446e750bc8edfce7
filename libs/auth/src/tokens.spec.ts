import { describe, expect, it } from '@jest/globals';
import { SignJWT, type JWTPayload } from 'jose';
import { newSigningKey, publicKeySet } from './signing-keys.js';
import { signToken, tokenVerifier, type SigningKey } from './tokens.js';

const principal = { subject: 'agent-1', role: 'agent' as const, tenantId: 't1' };
const key = newSigningKey('key-a');
const verify = tokenVerifier(publicKeySet(key));
const now = () => Math.floor(Date.now() / 1000);

/** A token with exactly these claims (iss and aud right unless overridden), signed by `by`. */
const raw = (claims: JWTPayload, by: SigningKey = key) =>
  new SignJWT({ role: 'agent', tenantId: 't1', iss: 'softphone', aud: 'softphone-api', ...claims })
    .setProtectedHeader({ alg: by.alg, kid: by.kid })
    .sign(by.privateKey);

describe('tokens', () => {
  it('round-trips a principal', async () => {
    expect(await verify(await signToken(principal, key))).toEqual(principal);
  });

  it('rejects an expired token with AUTH_TOKEN_EXPIRED, beyond the 30 s clock tolerance only', async () => {
    await expect(verify(await signToken(principal, key, -60))).rejects.toMatchObject({ status: 401, code: 'AUTH_TOKEN_EXPIRED' });
    const justExpired = await raw({ sub: 'agent-1', iat: now() - 100, exp: now() - 10 });
    expect(await verify(justExpired)).toEqual(principal);
  });

  it('refuses a token verified before (and cached) once it expires', async () => {
    const strict = tokenVerifier(publicKeySet(key), { maxLifetimeSeconds: 3600, clockToleranceSeconds: 0 });
    const shortLived = await raw({ sub: 'agent-1', iat: now(), exp: now() + 1 });
    expect(await strict(shortLived)).toEqual(principal);
    expect(await strict(shortLived)).toEqual(principal);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await expect(strict(shortLived)).rejects.toMatchObject({ status: 401, code: 'AUTH_TOKEN_EXPIRED' });
  });

  it('rejects a token without exp, without iat or without sub', async () => {
    for (const claims of [
      { sub: 'agent-1', iat: now() },
      { sub: 'agent-1', exp: now() + 60 },
      { iat: now(), exp: now() + 60 },
    ]) {
      await expect(verify(await raw(claims))).rejects.toMatchObject({ status: 401, code: 'AUTH_TOKEN_INVALID' });
    }
  });

  it('rejects a token living longer than 12 h (a 100-year token), and one issued in the future', async () => {
    const century = await raw({ sub: 'agent-1', iat: now(), exp: now() + 100 * 365 * 86_400 });
    await expect(verify(century)).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    const thirteenHours = await raw({ sub: 'agent-1', iat: now(), exp: now() + 13 * 3600 });
    await expect(verify(thirteenHours)).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    const fromTheFuture = await raw({ sub: 'agent-1', iat: now() + 600, exp: now() + 1200 });
    await expect(verify(fromTheFuture)).rejects.toMatchObject({ status: 401 });
    const shortPolicy = tokenVerifier(publicKeySet(key), { maxLifetimeSeconds: 600, clockToleranceSeconds: 30 });
    await expect(shortPolicy(await signToken(principal, key, 3600))).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
  });

  it('rejects a token signed with another key, or with an unknown kid', async () => {
    const other = newSigningKey('key-a');
    await expect(verify(await signToken(principal, other))).rejects.toMatchObject({ status: 401, code: 'AUTH_TOKEN_INVALID' });
    await expect(verify(await signToken(principal, newSigningKey('key-z')))).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
  });

  it('accepts both keys of a rollover, each by its kid', async () => {
    const next = newSigningKey('key-b');
    const duringRollover = tokenVerifier(publicKeySet(key, next));
    expect(await duringRollover(await signToken(principal, key))).toEqual(principal);
    expect(await duringRollover(await signToken(principal, next))).toEqual(principal);
    await expect(verify(await signToken(principal, next))).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
  });

  it('rejects a well-signed token with an unknown role or without a tenant', async () => {
    await expect(verify(await raw({ sub: 'x', role: 'root', iat: now(), exp: now() + 60 }))).rejects.toMatchObject({
      code: 'AUTH_TOKEN_INVALID',
    });
    await expect(verify(await raw({ sub: 'x', tenantId: '', iat: now(), exp: now() + 60 }))).rejects.toMatchObject({
      code: 'AUTH_TOKEN_INVALID',
    });
  });

  it('rejects an unsigned token (alg none) and an HS256 token keyed with the public key (algorithm confusion)', async () => {
    const claims = { sub: 'x', role: 'system-admin', tenantId: 't1', iss: 'softphone', aud: 'softphone-api', iat: now(), exp: now() + 60 };
    const unsigned = `${Buffer.from('{"alg":"none","kid":"key-a"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.`;
    await expect(verify(unsigned)).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
    const publicX = new TextEncoder().encode(publicKeySet(key).keys[0].x);
    const confused = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256', kid: 'key-a' }).sign(publicX);
    await expect(verify(confused)).rejects.toMatchObject({ code: 'AUTH_TOKEN_INVALID' });
  });
});
