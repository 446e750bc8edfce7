import { describe, expect, it } from '@jest/globals';
import { pickPhone } from './router.js';

describe('pickPhone', () => {
  it('in pool mode rings either registered phone, at random', () => {
    const pool = { '1': 'registered', '2': 'registered' };
    expect(pickPhone(pool, () => 0.1)).toBe(1);
    expect(pickPhone(pool, () => 0.9)).toBe(2);
  });
  it('never a phone that is not registered', () => {
    expect(pickPhone({ '1': 'unregistered', '2': 'registered' }, () => 0)).toBe(2);
    expect(pickPhone({ '1': 'registered' }, () => 0.99)).toBe(1);
  });
});
