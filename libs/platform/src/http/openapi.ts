import type { INestApplication, Type } from '@nestjs/common';
import { ModulesContainer } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { routeAccess } from '@softphone/auth';
import type { ServiceConfig } from '../config.js';

type Json = Record<string, unknown>;
type Schema = Json & { type?: string; properties?: Record<string, Schema>; items?: Schema; required?: string[] };

interface Operation {
  operationId: string;
  summary?: string;
  description?: string;
  parameters?: Array<{ in: string; name: string; schema?: Schema; example?: unknown }>;
  requestBody?: { content?: Record<string, { schema?: Schema; example?: unknown }> };
  responses: Record<string, Json | { description?: string }>;
  security?: Array<Record<string, string[]>>;
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const EXAMPLE_CORRELATION_ID = '5b1f0f0e-8a4b-4c59-9a8e-7d0d3f2b6a11';

/** The one error shape (libs/errors ErrorBody), and what each 4xx means on this API. */
const ERROR_SCHEMA: Schema = {
  type: 'object',
  required: ['status', 'code', 'message'],
  properties: {
    status: { type: 'integer', description: 'the HTTP status, repeated' },
    code: { type: 'string', description: 'stable machine code, e.g. VALIDATION_FAILED, TENANT_NOT_FOUND, AGENT_OCCUPIED' },
    message: { type: 'string', description: 'for people' },
    field: { type: 'string', description: 'the offending field (first failing path), when there is one' },
    details: { description: 'every failing field for VALIDATION_FAILED: [{ field, message }]' },
    correlationId: { type: 'string', description: 'the x-correlation-id of the request' },
  },
};

const ERRORS = {
  400: {
    name: 'BadRequest',
    description:
      'The request is malformed: a field fails its schema (VALIDATION_FAILED, naming the field) or the body is not JSON (INVALID_JSON).',
    example: { status: 400, code: 'VALIDATION_FAILED', message: 'name: Too small: expected string to have >=1 characters', field: 'name' },
  },
  401: {
    name: 'Unauthorized',
    description: 'No bearer token, or one that is expired or invalid (AUTH_TOKEN_MISSING, AUTH_TOKEN_EXPIRED, AUTH_TOKEN_INVALID).',
    example: { status: 401, code: 'AUTH_TOKEN_MISSING', message: 'an Authorization: Bearer token is required' },
  },
  403: {
    name: 'Forbidden',
    description: "The caller's role may not do this (AUTH_ROLE_FORBIDDEN), or an agent acts for another agent (AUTH_OTHER_AGENT).",
    example: { status: 403, code: 'AUTH_ROLE_FORBIDDEN', message: 'this operation needs one of the roles: system-admin' },
  },
  404: {
    name: 'NotFound',
    description: 'The resource does not exist, or belongs to another tenant (always 404, never a hint): <RESOURCE>_NOT_FOUND.',
    example: { status: 404, code: 'TENANT_NOT_FOUND', message: 'tenant t-7 was not found', field: 'tenantId' },
  },
  409: {
    name: 'Conflict',
    description:
      'The state of the resource refuses the command (a stable code names the rule), or a concurrent change won (CONCURRENT_MODIFICATION): nothing was written.',
    example: { status: 409, code: 'WEBRTC_ALREADY_ENABLED', message: 'WebRTC is already enabled for this tenant' },
  },
  422: {
    name: 'UnprocessableEntity',
    description: 'The request can never satisfy a rule in the current configuration (a stable code names the rule): nothing was written.',
    example: {
      status: 422,
      code: 'POOL_MODE_NEEDS_TWO_GATEWAYS',
      message: 'pool mode needs more than one WebRTC gateway',
      field: 'gateways',
    },
  },
} as const;

type ErrorStatus = keyof typeof ERRORS;

/**
 * The service's OpenAPI document, complete without per-route boilerplate: every
 * operation gets a summary (its @ApiOperation one, or one from its handler's
 * name), its roles, the error responses it can give with the one error schema
 * and examples, its security (`security: []` on @Public routes), an example
 * request, and the document its servers.
 */
export function openApiDocument(app: INestApplication, config: ServiceConfig): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle(config.serviceName)
      .setDescription(`${config.serviceName} REST API of the WebRTC agent-softphone backend. Errors share one shape (Error).`)
      .setVersion('1.0.0')
      .setLicense('Proprietary', 'https://example.com/softphone/license')
      .addServer(`http://127.0.0.1:${config.port}`, `${config.serviceName} itself (npm start)`)
      .addServer(`http://127.0.0.1:3000/api/${config.serviceName.replace(/-svc$/, '')}`, "through edge-svc, the browsers' origin")
      .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'bearer')
      .build(),
  );
  const handlers = routeHandlers(app);
  const components = (document.components ??= {}) as Json & { schemas?: Json; responses?: Json };
  components.schemas = { ...components.schemas, Error: ERROR_SCHEMA };
  components.responses = Object.fromEntries(
    Object.values(ERRORS).map((error) => [
      error.name,
      {
        description: error.description,
        content: {
          'application/json': {
            schema: { $ref: '#/components/schemas/Error' },
            example: { ...error.example, correlationId: EXAMPLE_CORRELATION_ID },
          },
        },
      },
    ]),
  );
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = (item as Record<string, Operation | undefined>)[method];
      if (operation) complete(operation, method, path, handlers.get(operation.operationId));
    }
  }
  fixNullables(document);
  return document;
}

interface RouteHandler {
  controller: Type;
  handler: Type;
  method: string;
}

/** Each controller method by the operationId Swagger gives it (`<Controller>_<method>`). */
function routeHandlers(app: INestApplication): Map<string, RouteHandler> {
  const handlers = new Map<string, RouteHandler>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[method];
        if (method !== 'constructor' && typeof handler === 'function')
          handlers.set(`${controller.name}_${method}`, { controller, handler: handler as Type, method });
      }
    }
  }
  return handlers;
}

function complete(operation: Operation, method: string, path: string, route: RouteHandler | undefined): void {
  const access = route ? routeAccess(route.handler, route.controller) : { public: false, roles: undefined };
  operation.summary ??= summaryOf(route, path);
  if (access.roles) operation.description = [operation.description, `Roles: ${access.roles.join(', ')}.`].filter(Boolean).join('\n\n');
  operation.security = access.public ? [] : [{ bearer: [] }];
  for (const [status, response] of Object.entries(operation.responses)) {
    if (!(response as { description?: string }).description) (response as { description?: string }).description = SUCCESS[status] ?? 'OK';
  }
  const hasParameters = (operation.parameters ?? []).length > 0 || operation.requestBody !== undefined;
  const errors: ErrorStatus[] = [
    ...(hasParameters ? [400 as const] : []),
    ...(access.public ? [] : [401 as const, 403 as const]),
    ...(path.includes('{') ? [404 as const] : []),
    ...(method === 'get' ? [] : [409 as const, 422 as const]),
  ];
  for (const status of errors) operation.responses[status] ??= { $ref: `#/components/responses/${ERRORS[status].name}` };
  for (const parameter of operation.parameters ?? []) {
    const example = parameter.schema && sample(parameter.schema);
    if (example !== undefined && parameter.example === undefined) parameter.example = example;
  }
  const body = operation.requestBody?.content?.['application/json'];
  if (body?.schema && body.example === undefined) {
    const example = sample(body.schema);
    if (example !== undefined) body.example = example;
  }
}

const SUCCESS: Record<string, string> = { '200': 'OK', '201': 'Created', '202': 'Accepted', '204': 'No Content' };
const ACRONYMS: Record<string, string> = { web: 'Web', rtc: 'RTC', ivr: 'IVR', ivrs: 'IVRs', id: 'ID' };
const VERBS = new Set([
  'get',
  'list',
  'create',
  'suspend',
  'resume',
  'register',
  'place',
  'receive',
  'answer',
  'resolve',
  'ingest',
  'check',
  'read',
  'delete',
]);

const words = (camel: string) => camel.split(/(?=[A-Z])/).map((w) => w.toLowerCase());
const sentence = (list: string[]) => {
  const text = list
    .map((w) => ACRONYMS[w] ?? w)
    .join(' ')
    .replace('Web RTC', 'WebRTC');
  return text.charAt(0).toUpperCase() + text.slice(1);
};
const singular = (list: string[]) => [
  ...list.slice(0, -1),
  list
    .at(-1)!
    .replace(/ies$/, 'y')
    .replace(/(?<!s)s$/, ''),
];

/** "changePoolMode" → "Change pool mode"; "get" on TenantsController → "Get tenant"; "list" → "List tenants". */
function summaryOf(route: RouteHandler | undefined, path: string): string {
  if (!route) return sentence(path.split('/').filter((s) => s && !s.startsWith('{')));
  const action = words(route.method);
  const noun = words(route.controller.name.replace(/Controller$/, ''));
  if (action.length > 1) return sentence(action);
  const [word] = action;
  if (noun.includes(word)) return sentence(noun);
  if (word === 'list') return sentence([word, ...noun]);
  if (VERBS.has(word)) return sentence([word, ...singular(noun)]);
  return sentence([...noun, word]);
}

/**
 * OpenAPI 3.0 has no type "null", and `nullable` means nothing without a `type`
 * beside it: a nullable union of one type (`1 | 2 | null`) gets that type.
 */
function fixNullables(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(fixNullables);
  if (!node || typeof node !== 'object') return;
  const schema = node as Schema & { nullable?: boolean; anyOf?: Schema[]; oneOf?: Schema[] };
  if (schema.nullable === true && schema.type === undefined) {
    const types = new Set((schema.anyOf ?? schema.oneOf ?? []).map((branch) => branch.type));
    if (types.size === 1) schema.type = [...types][0];
  }
  Object.values(schema).forEach(fixNullables);
}

const STRING_CANDIDATES = ['example-1', '1001', '+4930123456', 'a'];

/** An example value satisfying `schema` (its own example, default or first enum value first), or undefined when unsure. */
function sample(schema: Schema & Json): unknown {
  if ('$ref' in schema) return undefined;
  if (schema.example !== undefined) return schema.example;
  if (schema.default !== undefined && schema.default !== null) return schema.default;
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) return schema.enum[0];
  const branches = (schema.anyOf ?? schema.oneOf) as Schema[] | undefined;
  if (branches) return sample(branches.find((b) => b.type !== 'null') ?? {});
  switch (schema.type) {
    case 'object': {
      const result: Json = {};
      for (const [name, property] of Object.entries(schema.properties ?? {})) {
        const value = sample(property);
        if (value === undefined) {
          if (schema.required?.includes(name)) return undefined;
        } else result[name] = value;
      }
      return result;
    }
    case 'array': {
      const item = schema.items && sample(schema.items);
      if (item === undefined) return undefined;
      return Array.from({ length: Math.max(1, Number(schema.minItems ?? 1)) }, () => item);
    }
    case 'string':
      return sampleString(schema);
    case 'integer':
    case 'number': {
      const minimum =
        typeof schema.minimum === 'number' ? schema.minimum : typeof schema.exclusiveMinimum === 'number' ? schema.exclusiveMinimum + 1 : 0;
      return typeof schema.maximum === 'number' ? Math.min(minimum, schema.maximum) : minimum;
    }
    case 'boolean':
      return true;
    default:
      return undefined;
  }
}

function sampleString(schema: Schema & Json): string | undefined {
  switch (schema.format) {
    case 'date-time':
      return '2026-01-01T09:00:00.000Z';
    case 'email':
      return 'manager@example.com';
    case 'uuid':
      return '3fa85f64-5717-4562-b3fc-2c963f66afa6';
    case 'uri':
      return 'https://example.com';
  }
  const min = Number(schema.minLength ?? 0);
  const max = Number(schema.maxLength ?? Infinity);
  const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern) : undefined;
  return STRING_CANDIDATES.map((c) => (c.length < min ? c.padEnd(min, 'x') : c)).find(
    (c) => c.length <= max && (!pattern || pattern.test(c)),
  );
}
