import { Logger, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { ServiceConfig } from './config.js';
import { serveApiDocs } from './http/api-docs.js';
import { openApiDocument } from './http/openapi.js';
import { correlationMiddleware } from './http/correlation.middleware.js';
import { httpMetricsMiddleware } from './http/metrics.js';
import { httpTracingMiddleware } from './http/tracing.middleware.js';
import { ServiceLogger } from './logger.js';
import { startTracing } from './tracing.js';

export interface CreateOptions {
  /** Stop on SIGTERM/SIGINT (a real process); tests close the app themselves. */
  shutdownHooks?: boolean;
  /** Parse JSON bodies (default); off for an app that streams bodies through, like a reverse proxy. */
  bodyParser?: boolean;
}

/** Builds a service's Nest application: its logger, correlation ids, metrics, OpenAPI at /docs, AsyncAPI at /docs/asyncapi.json. */
export async function createServiceApp(
  module: DynamicModule,
  config: ServiceConfig,
  options: CreateOptions = {},
): Promise<INestApplication> {
  startTracing({ serviceName: config.serviceName, instanceId: config.instanceId, endpoint: config.otlpEndpoint });
  const app = await NestFactory.create(module, { logger: new ServiceLogger(config), bodyParser: options.bodyParser ?? true });
  app.use(httpTracingMiddleware, correlationMiddleware, httpMetricsMiddleware);
  if (options.shutdownHooks) app.enableShutdownHooks();
  serveApiDocs(app, config);
  return app;
}

/**
 * Entry point of a service process: listens on its port until SIGTERM, then shuts down gracefully.
 * With `--openapi` it prints its OpenAPI document and exits, connecting to nothing (Nest's preview mode).
 */
export async function runService(module: DynamicModule, config: ServiceConfig): Promise<void> {
  if (process.argv.includes('--openapi')) {
    const preview = await NestFactory.create(module, { preview: true, logger: false });
    process.stdout.write(`${JSON.stringify(openApiDocument(preview, config), null, 2)}\n`);
    return;
  }
  const app = await createServiceApp(module, config, { shutdownHooks: true });
  await app.listen(config.port, config.host);
  new Logger('Bootstrap').log(`${config.serviceName} (${config.instanceId}) listening on ${config.host}:${config.port}`);
}
