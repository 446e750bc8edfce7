import { SpanKind } from '@opentelemetry/api';
import type { NextFunction, Request, Response } from 'express';
import { startSpan, traceContextFrom, withSpan } from '@softphone/correlation';

/**
 * One server span per request, child of the caller's W3C traceparent if it
 * sent one; named after the matched route once the response is done. A no-op
 * while tracing is off.
 */
export function httpTracingMiddleware(request: Request, response: Response, next: NextFunction): void {
  const span = startSpan(`${request.method} ${request.path}`, {
    kind: SpanKind.SERVER,
    parent: traceContextFrom(request.headers as Record<string, string | undefined>),
    attributes: { 'http.request.method': request.method, 'url.path': request.path },
  });
  if (!span.isRecording()) return next();
  response.on('finish', () => {
    const route = (request.route as { path?: string } | undefined)?.path;
    if (route) span.updateName(`${request.method} ${route}`);
    span.setAttribute('http.response.status_code', response.statusCode);
    span.end();
  });
  withSpan(span, () => next());
}
