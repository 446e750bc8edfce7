import { describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { eventCatalog } from './catalog.js';
import { ContractViolation, decodeEnvelope, parseEnvelope } from './envelope.js';

const envelope = (overrides: Record<string, unknown> = {}) => ({
  id: randomUUID(),
  type: 'tenant.created',
  schemaVersion: 1,
  occurredAt: '2026-11-24T10:00:00.000Z',
  tenantId: 't1',
  streamId: 'tenant-t1',
  streamVersion: 1,
  correlationId: 'c1',
  causationId: null,
  data: { tenantId: 't1', name: 'Acme', poolMode: false },
  ...overrides,
});

describe('parseEnvelope', () => {
  it('accepts an event that satisfies its schema and returns its data', () => {
    const parsed = parseEnvelope(envelope());
    expect(parsed.type).toBe('tenant.created');
    expect(parsed.data).toEqual({ tenantId: 't1', name: 'Acme', poolMode: false });
  });

  it.each([
    ['missing envelope field', envelope({ correlationId: undefined }), /invalid event envelope/],
    ['unknown type', envelope({ type: 'tenant.exploded' }), /unknown event type/],
    ['unsupported version', envelope({ schemaVersion: 7 }), /schema version 7/],
    ['invalid data', envelope({ data: { tenantId: 't1', name: '', poolMode: 'yes' } }), /invalid data/],
  ])('rejects %s', (_name, raw, message) => {
    expect(() => parseEnvelope(raw)).toThrow(ContractViolation);
    expect(() => parseEnvelope(raw)).toThrow(message);
  });

  it('rejects a message that is not JSON', () => {
    expect(() => decodeEnvelope('{oops')).toThrow('message is not JSON');
  });

  it('has one definition per type, each on a topic, with a description', () => {
    const types = eventCatalog.map((d) => d.type);
    expect(new Set(types).size).toBe(types.length);
    for (const d of eventCatalog) {
      expect(d.type.startsWith(`${d.topic}.`)).toBe(true);
      expect(d.description.length).toBeGreaterThan(10);
    }
  });
});
