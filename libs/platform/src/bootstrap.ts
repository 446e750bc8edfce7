import { Logger, type DynamicModule, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { ServiceConfig } from './config.js';
import { correlationMiddleware } from './http/correlation.middleware.js';
import { httpMetricsMiddleware } from './http/metrics.js';
import { httpTracingMiddleware } from './http/tracing.middleware.js';
import { JsonLogger } from './logger.js';
import { startTracing } from './tracing.js';

export interface CreateOptions {
  /** Stop on SIGTERM/SIGINT (a real process); tests close the app themselves. */
  shutdownHooks?: boolean;
  /** Parse JSON bodies (default); off for an app that streams bodies through, like a reverse proxy. */
  bodyParser?: boolean;
}

/** Builds a service's Nest application: JSON logs, correlation ids, metrics, OpenAPI at /docs. */
export async function createServiceApp(
  module: DynamicModule,
  config: ServiceConfig,
  options: CreateOptions = {},
): Promise<INestApplication> {
  startTracing({ serviceName: config.serviceName, instanceId: config.instanceId, endpoint: config.otlpEndpoint });
  const app = await NestFactory.create(module, { logger: new JsonLogger(config), bodyParser: options.bodyParser ?? true });
  app.use(httpTracingMiddleware, correlationMiddleware, httpMetricsMiddleware);
  if (options.shutdownHooks) app.enableShutdownHooks();
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(config.serviceName).setDescription(`${config.serviceName} REST API`).addBearerAuth().build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  return app;
}

/** Entry point of a service process: listens on its port until SIGTERM, then shuts down gracefully. */
export async function runService(module: DynamicModule, config: ServiceConfig): Promise<void> {
  const app = await createServiceApp(module, config, { shutdownHooks: true });
  await app.listen(config.port, '0.0.0.0');
  new Logger('Bootstrap').log(`${config.serviceName} (${config.instanceId}) listening on :${config.port}`);
}
