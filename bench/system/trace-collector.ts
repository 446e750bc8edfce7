/**
 * A minimal OTLP/HTTP (JSON) trace receiver for the benchmarks: the services
 * export their spans here (OTEL_EXPORTER_OTLP_ENDPOINT), and the bench reads
 * each traced command's spans back to say where its milliseconds went.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';

export interface CollectedSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  service: string;
  /** Epoch milliseconds (fractional). */
  start: number;
  end: number;
  events: Array<{ name: string; at: number }>;
}

interface OtlpValue {
  stringValue?: string;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  events?: Array<{ name: string; timeUnixNano: string }>;
}
interface OtlpExport {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: OtlpValue }> };
    scopeSpans?: Array<{ spans?: OtlpSpan[] }>;
  }>;
}

const ms = (nanos: string) => Number(BigInt(nanos) / 1000n) / 1000;

export class TraceCollector {
  private readonly spans = new Map<string, CollectedSpan[]>();

  private readonly server: Server;
  private address = '';

  private constructor() {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        try {
          this.add(JSON.parse(Buffer.concat(chunks).toString()) as OtlpExport);
          response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        } catch {
          response.writeHead(400).end();
        }
      });
    });
  }

  /** Where the services send their spans (OTEL_EXPORTER_OTLP_ENDPOINT). */
  get endpoint(): string {
    return this.address;
  }

  static async start(): Promise<TraceCollector> {
    const collector = new TraceCollector();
    await new Promise<void>((resolve) => collector.server.listen(0, '127.0.0.1', resolve));
    collector.address = `http://127.0.0.1:${(collector.server.address() as { port: number }).port}`;
    return collector;
  }

  private add(body: OtlpExport): void {
    for (const resourceSpans of body.resourceSpans ?? []) {
      const service = resourceSpans.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue ?? '?';
      for (const scope of resourceSpans.scopeSpans ?? []) {
        for (const span of scope.spans ?? []) {
          const list = this.spans.get(span.traceId) ?? [];
          list.push({
            traceId: span.traceId,
            spanId: span.spanId,
            parentSpanId: span.parentSpanId ?? '',
            name: span.name,
            service,
            start: ms(span.startTimeUnixNano),
            end: ms(span.endTimeUnixNano),
            events: (span.events ?? []).map((e) => ({ name: e.name, at: ms(e.timeUnixNano) })),
          });
          this.spans.set(span.traceId, list);
        }
      }
    }
  }

  /** The spans of one trace received so far. */
  trace(traceId: string): CollectedSpan[] {
    return this.spans.get(traceId) ?? [];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** A new W3C trace: the id to look it up by and the traceparent header that starts it. */
export function newTrace(): { traceId: string; traceparent: string } {
  const traceId = randomBytes(16).toString('hex');
  return { traceId, traceparent: `00-${traceId}-${randomBytes(8).toString('hex')}-01` };
}

/**
 * A trace context the services do not record (its sampled flag is off): the
 * bench's own polling stays out of the traces and costs the services no spans.
 */
export const UNSAMPLED_TRACEPARENT = `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-00`;

/** Epoch milliseconds on the same clock as the spans. */
export const nowMs = () => performance.timeOrigin + performance.now();
