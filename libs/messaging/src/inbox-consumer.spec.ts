import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConcurrencyError } from '@softphone/errors';
import { collect, eventually } from '@softphone/testing';
import { eventConsumer } from './event-consumer.js';
import type { InboxConsumer } from './inbox-consumer.js';
import { envelopeOf, mediaChanged, messagingFixture, type MessagingFixture } from '../test/messaging-fixture.js';

describe('InboxConsumer', () => {
  let f: MessagingFixture;
  let consumer: InboxConsumer<unknown>;
  const transientFailures = new Map<string, number>();

  beforeAll(async () => {
    f = await messagingFixture('inbox');
    await f.dataSource.query('CREATE TABLE applied (call_id text NOT NULL, event_id uuid PRIMARY KEY)');
    consumer = eventConsumer(f.store, f.broker, {
      groupId: 'group',
      topics: [f.topics.events('call')],
      deadLetterTopic: f.topics.deadLetter('group'),
      maxAttempts: 2,
      maxTransientAttempts: 4,
      handles: (event) => !(event.data as { callId: string }).callId.startsWith('passed-over'),
      handle: async (event, uow) => {
        const callId = (event.data as { callId: string }).callId;
        if (callId === 'explodes') throw new TypeError('handler bug');
        if (callId === 'always-racing') throw new ConcurrencyError('loses every race');
        if (callId.startsWith('flaky')) {
          const failures = transientFailures.get(event.id) ?? 0;
          transientFailures.set(event.id, failures + 1);
          if (failures < 2) throw new ConcurrencyError('lost a race');
        }
        await uow.sql.execute('INSERT INTO applied (call_id, event_id) VALUES ($1, $2)', [callId, event.id]);
      },
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await f?.close();
  });

  const applied = () => f.store.sql.rows<{ call_id: string }>('SELECT call_id FROM applied ORDER BY call_id');
  const send = (key: string, value: string) => f.broker.publish([{ topic: f.topics.events('call'), key, value }]);

  it('applies a message delivered twice only once', async () => {
    const twice = JSON.stringify(envelopeOf(mediaChanged('twice', true), 'call-twice'));
    await send('call-twice', twice);
    await send('call-twice', twice);
    await send('call-twice', JSON.stringify(envelopeOf(mediaChanged('after-twice', true), 'call-twice', 2)));
    await eventually(async () => expect((await applied()).map((r) => r.call_id)).toContain('after-twice'));
    expect((await applied()).filter((r) => r.call_id === 'twice')).toHaveLength(1);
  });

  it('passes over messages it does not handle without a transaction or an inbox record, and still records the ones it handles', async () => {
    const alone = envelopeOf(mediaChanged('passed-over-alone', true), 'call-passing');
    await send('call-passing', JSON.stringify(alone));
    const mixed = [
      envelopeOf(mediaChanged('passed-over-1', true), 'call-passing', 2),
      envelopeOf(mediaChanged('handled-between', true), 'call-passing', 3),
      envelopeOf(mediaChanged('passed-over-2', true), 'call-passing', 4),
    ];
    await f.broker.publish(mixed.map((e) => ({ topic: f.topics.events('call'), key: 'call-passing', value: JSON.stringify(e) })));
    await eventually(async () => expect((await applied()).map((r) => r.call_id)).toContain('handled-between'));
    expect((await applied()).map((r) => r.call_id).filter((c) => c.startsWith('passed-over'))).toEqual([]);
    const ids = [alone.id, ...mixed.map((e) => e.id)];
    const recorded = await f.store.sql.rows<{ message_id: string }>('SELECT message_id FROM inbox WHERE message_id = ANY($1)', [ids]);
    expect(recorded.map((r) => r.message_id)).toEqual([mixed[1].id]);
  });

  it('dead-letters poison messages with the reason and keeps consuming the ones after them', async () => {
    const key = 'call-poison';
    await send(key, '{not json');
    await send(key, JSON.stringify(envelopeOf({ type: 'call.media-changed', data: { callId: 'no-media' } }, key)));
    await send(key, JSON.stringify(envelopeOf(mediaChanged('explodes', true), key)));
    await send(key, JSON.stringify(envelopeOf(mediaChanged('after-poison', false), key)));
    await eventually(async () => expect((await applied()).map((r) => r.call_id)).toContain('after-poison'));

    const dead = await collect(f.topics.deadLetter('group'), (m) => m.length >= 3);
    expect(dead).toHaveLength(3);
    expect(dead.map((m) => m.headers['dlq-error'])).toEqual([
      'ContractViolation: message is not JSON',
      'ContractViolation: invalid data for call.media-changed',
      'TypeError: handler bug',
    ]);
    expect(dead.map((m) => m.headers['dlq-reason'])).toEqual(['contract-violation', 'contract-violation', 'failed']);
    expect(dead[0].value).toBe('{not json');
    expect(dead[2].headers['dlq-attempts']).toBe('2');
    expect(dead[2].headers['dlq-original-topic']).toBe(f.topics.events('call'));
    expect(JSON.parse(dead[1].headers['dlq-issues'])[0].path).toEqual(['change']);
  });

  it('dead-letters a message that keeps failing transiently while the database answers, with the cause, and moves on', async () => {
    await send('call-racing', JSON.stringify(envelopeOf(mediaChanged('always-racing', true), 'call-racing')));
    await send('call-racing', JSON.stringify(envelopeOf(mediaChanged('after-racing', true), 'call-racing', 2)));
    await eventually(async () => expect((await applied()).map((r) => r.call_id)).toContain('after-racing'));
    const dead = await collect(f.topics.deadLetter('group'), (m) =>
      m.some((x) => x.headers['dlq-reason'] === 'transient-retries-exhausted'),
    );
    const exhausted = dead.find((m) => m.headers['dlq-reason'] === 'transient-retries-exhausted');
    expect(exhausted?.headers).toMatchObject({ 'dlq-error': 'ConcurrencyError: loses every race', 'dlq-attempts': '4' });
  });

  it('retries transient failures until they pass, without dead-lettering', async () => {
    await send('call-flaky', JSON.stringify(envelopeOf(mediaChanged('flaky-1', true), 'call-flaky')));
    await eventually(async () => expect((await applied()).map((r) => r.call_id)).toContain('flaky-1'));
    expect([...transientFailures.values()]).toEqual([3]);
    const dead = await collect(f.topics.deadLetter('group'), (m) => m.length >= 4);
    expect(dead.map((m) => m.headers['event-id'])).toHaveLength(4);
  });
});
