import type { INestApplication } from '@nestjs/common';
import type { Request, Response } from 'express';
import { createProxyMiddleware } from 'http-proxy-middleware';
import type { EdgeConfig } from '../edge-config.js';

/** Where the browser's REST calls go: /api/<service>/... -> the service's own path, unchanged otherwise. */
export const API_PREFIXES = ['tenant', 'agent', 'call', 'quality'] as const;

/**
 * Mounts the reverse proxy to the four services (http-proxy-middleware): one origin for pages, REST and the live
 * channel. Bodies, headers (Authorization, x-correlation-id) and statuses pass through untouched; a service that
 * does not answer is a 503 in the house error shape.
 */
export function mountRestProxy(app: INestApplication, config: EdgeConfig): void {
  for (const prefix of API_PREFIXES) {
    app.use(
      `/api/${prefix}`,
      createProxyMiddleware<Request, Response>({
        target: config.upstreams[prefix],
        xfwd: true,
        proxyTimeout: 30_000,
        on: {
          error: (error, request, response) => {
            const res = response as Response;
            if (res.headersSent || typeof res.status !== 'function') return void res.end?.();
            res.status(503).json({
              status: 503,
              code: 'SERVICE_UNAVAILABLE',
              message: `${prefix}-svc did not answer (${(error as NodeJS.ErrnoException).code ?? error.message})`,
              correlationId: request.headers['x-correlation-id'] ?? null,
            });
          },
        },
      }),
    );
  }
}
