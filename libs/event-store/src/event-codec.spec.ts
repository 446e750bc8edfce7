import { describe, expect, it } from '@jest/globals';
import { envelopeHead } from './event-codec.js';

describe('envelopeHead: the envelope as published is its head, the data and "}"', () => {
  const envelope = {
    id: '6f1c2a8e-0b4e-4c3e-9d7a-2f0e1b3c4d5e',
    type: 'call.media-changed' as const,
    schemaVersion: 1,
    occurredAt: '2026-12-07T22:10:16.123Z',
    tenantId: 'tenant "quoted" \\ back',
    streamId: 'call-é-😀-\n\t\u0001',
    streamVersion: 42,
    correlationId: 'corr-1',
    causationId: null as string | null,
    data: { callId: 'call-1', media: { mode: 'voice', muted: true, screenShare: null } },
  };

  it('gives the same text as the whole envelope serialised, with and without a causation id', () => {
    for (const causationId of [null, 'cause-\u2028-1']) {
      const event = { ...envelope, causationId };
      expect(envelopeHead(event) + JSON.stringify(event.data) + '}').toBe(JSON.stringify(event));
    }
  });

  it('ends where the data begins', () => {
    expect(envelopeHead(envelope).endsWith(',"data":')).toBe(true);
  });
});
