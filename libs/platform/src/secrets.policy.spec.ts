import { describe, expect, it } from '@jest/globals';
import { publicKeySetProblems, secretProblem } from './secrets.policy.js';

describe('secrets policy', () => {
  it('accepts 32 random bytes and refuses missing, short, known and monotonous secrets', () => {
    expect(secretProblem('Vq3xT9mK2pL8rN4sW7yZ1aB6cD0eF5gH')).toBeNull();
    expect(secretProblem(undefined)).toBe('is missing');
    expect(secretProblem('')).toBe('is missing');
    expect(secretProblem('Vq3xT9mK2pL8rN4sW7yZ1aB6cD0eF5g')).toBe('is shorter than 32 bytes');
    expect(secretProblem('dev-secret-change-me')).toBe('is a known default');
    expect(secretProblem('CHANGE-ME')).toBe('is a known default');
    expect(secretProblem('change-me-Vq3xT9mK2pL8rN4sW7yZ1aB6cD0eF5g')).toBe('is a known default');
    expect(secretProblem('ab'.repeat(20))).toBe('has too little variety (fewer than 8 distinct characters)');
  });

  it('accepts public Ed25519 keys with distinct kids, and names each problem of a key set', () => {
    const ed = { kty: 'OKP', crv: 'Ed25519', x: 'l1jDzkbxNz2NlqXLd2BV9FJ4qX7FS_2_N_BfQBnc3ws', kid: 'a' };
    expect(publicKeySetProblems({ keys: [ed, { ...ed, kid: 'b' }] })).toEqual([]);
    expect(publicKeySetProblems({ keys: [] })).toEqual(['must be a JWKS: {"keys": [ ...public keys ]}']);
    expect(publicKeySetProblems([ed])).toHaveLength(1);
    expect(publicKeySetProblems({ keys: [ed, ed, { ...ed, kid: undefined }, { kty: 'EC', crv: 'P-256', kid: 'e' }] })).toEqual([
      'keys[1]: kid a appears twice',
      'keys[2] has no kid',
      'keys[3]: kty must be OKP (Ed25519) or RSA, not EC',
    ]);
    expect(publicKeySetProblems({ keys: [{ ...ed, crv: 'X25519' }] })).toEqual(['keys[0]: an OKP key must be Ed25519 with x']);
  });
});
