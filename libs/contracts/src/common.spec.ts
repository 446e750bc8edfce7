import { describe, expect, it } from '@jest/globals';
import { Gateway, Name, Reason } from './common.js';

describe('text people read', () => {
  it('rejects every control character in names, reasons and gateway addresses', () => {
    for (const control of ['\r', '\n', '\t', '\u0000', '\u001b', '\u007f', '\u0085']) {
      expect(Name.safeParse(`Sales${control}Bcc: attacker@example.com`).success).toBe(false);
      expect(Reason.safeParse(`late${control}`).success).toBe(false);
      expect(Gateway.safeParse({ gatewayId: 'g1', address: `wss://gw${control}.example` }).success).toBe(false);
    }
    expect(Name.safeParse('Ventes — Île-de-France 🎧').data).toBe('Ventes — Île-de-France 🎧');
    expect(Name.safeParse('  Sales  ').data).toBe('Sales');
    expect(Name.safeParse('   ').success).toBe(false);
    expect(Name.safeParse('x'.repeat(201)).success).toBe(false);
  });
});
