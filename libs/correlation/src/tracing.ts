import {
  context,
  propagation,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type Context,
  type Span,
  type SpanOptions,
  type TextMapGetter,
} from '@opentelemetry/api';

/**
 * OpenTelemetry through its API only: without a registered SDK (the default,
 * see libs/platform's startTracing) every call here is a no-op that costs a
 * function call, and no trace context is produced or carried.
 */
const tracer = () => trace.getTracer('softphone');

export type { Context, Span };

/** The W3C trace context (traceparent, tracestate) of a context as headers; empty when tracing is off. */
export function traceHeaders(from: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return carrier;
}

/** The traceparent of the active span, or null (tracing off, or no span). */
export function currentTraceParent(): string | null {
  return traceHeaders().traceparent ?? null;
}

const getter: TextMapGetter<Record<string, string | undefined>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** The remote context carried by incoming headers (traceparent / tracestate). */
export function traceContextFrom(headers: Record<string, string | undefined>): Context {
  return propagation.extract(ROOT_CONTEXT, headers, getter);
}

export interface SpanWork extends SpanOptions {
  /** Parent context (default: the active one). */
  parent?: Context;
}

/** Runs work in a new active span, ended when the work settles (an error marks it failed). */
export function inSpan<T>(name: string, options: SpanWork, work: (span: Span) => Promise<T>): Promise<T> {
  return tracer().startActiveSpan(name, options, options.parent ?? context.active(), async (span) => {
    try {
      return await work(span);
    } catch (error) {
      span.setStatus({ code: SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Starts a span that the caller ends (for work that does not fit one async function). */
export function startSpan(name: string, options: SpanWork = {}): Span {
  return tracer().startSpan(name, options, options.parent ?? context.active());
}

/** Runs work with a span active (so what it appends or produces carries that span's context). */
export function withSpan<T>(span: Span, work: () => T): T {
  return context.with(trace.setSpan(context.active(), span), work);
}

/** Marks an instant on the active span (e.g. the commit inside a transaction span). */
export function markActiveSpan(name: string): void {
  trace.getActiveSpan()?.addEvent(name);
}

/** The W3C trace context headers that make a receiver's span a child of `span`. */
export function traceHeadersOf(span: Span): Record<string, string> {
  return traceHeaders(trace.setSpan(ROOT_CONTEXT, span));
}
