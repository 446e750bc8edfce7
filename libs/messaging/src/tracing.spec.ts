import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { inSpan } from '@softphone/correlation';
import { collect, eventually } from '@softphone/testing';
import { eventConsumer } from './event-consumer.js';
import type { InboxConsumer } from './inbox-consumer.js';
import { OutboxRelay } from './relay.js';
import { mediaChanged, messagingFixture, type MessagingFixture } from '../test/messaging-fixture.js';

describe('trace context across the relay and a consumer', () => {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  let f: MessagingFixture;
  let relay: OutboxRelay;
  let consumer: InboxConsumer<unknown>;

  beforeAll(async () => {
    context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    trace.setGlobalTracerProvider(provider);
    f = await messagingFixture('tracing');
    relay = new OutboxRelay(f.store, f.dataSource, f.broker, { name: 'svc', topics: f.topics });
    relay.start();
    consumer = eventConsumer(f.store, f.broker, {
      groupId: 'traced',
      topics: [f.topics.events('call')],
      deadLetterTopic: f.topics.deadLetter('group'),
      handle: async (event, uow) => void (await uow.append(`echo-${event.streamId}`, 0, [mediaChanged('echo', true)], event)),
    });
    await consumer.start();
  });

  afterAll(async () => {
    await consumer?.stop();
    await relay?.stop();
    await f?.close();
    await provider.shutdown();
  });

  it('carries the appending span as W3C traceparent next to the correlation id, and continues it in the consumer', async () => {
    const traceId = await inSpan('command', {}, async (span) => {
      await f.store.transaction((uow) =>
        uow.append('call-traced', 0, [mediaChanged('traced', true)], { tenantId: 't1', correlationId: 'c-t' }),
      );
      return span.spanContext().traceId;
    });
    const [message] = await collect(f.topics.events('call'), (m) => m.some((x) => x.key === 'call-traced'));
    expect(message.headers['correlation-id']).toBe('c-t');
    expect(message.headers.traceparent).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));

    await eventually(async () => {
      const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
      const named = (name: string) => spans.find((s) => s.name.startsWith(name));
      const publish = named('publish');
      const process = named('process');
      expect(publish?.parentSpanContext?.spanId).toBe(named('es.transaction')?.spanContext().spanId);
      expect(process?.parentSpanContext?.spanId).toBe(publish?.spanContext().spanId);
      // What the consumer appended carries its span: the next hop continues the same trace.
      const [echo] = await f.store.sql.rows<{ trace_parent: string }>(
        `SELECT trace_parent FROM es_events WHERE stream_id = 'echo-call-traced'`,
      );
      expect(echo.trace_parent).toContain(traceId);
    });
  });
});
