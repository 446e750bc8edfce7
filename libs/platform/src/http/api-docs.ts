import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { asyncApiDocument } from '@softphone/contracts';
import type { ServiceConfig } from '../config.js';
import { openApiDocument } from './openapi.js';

/**
 * The service's API documents, without a token: OpenAPI (REST) at /docs (UI)
 * and /docs/json, AsyncAPI (the Kafka interface, the same for every service:
 * generated from the contracts) at /docs/asyncapi.json.
 */
export function serveApiDocs(app: INestApplication, config: ServiceConfig): void {
  SwaggerModule.setup('docs', app, openApiDocument(app, config), { jsonDocumentUrl: 'docs/json' });
  const asyncApi = asyncApiDocument();
  app
    .getHttpAdapter()
    .get(
      '/docs/asyncapi.json',
      (_request: Request, response: Response) => void response.type('application/json').send(JSON.stringify(asyncApi)),
    );
}
