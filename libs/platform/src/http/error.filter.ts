import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { AppError, isTransient, RateLimitedError, type ErrorBody } from '@softphone/errors';
import { currentCorrelation } from '@softphone/correlation';

const CODES_BY_STATUS: Record<number, string> = {
  400: 'BAD_REQUEST',
  401: 'AUTH_TOKEN_MISSING',
  403: 'AUTH_ROLE_FORBIDDEN',
  404: 'ROUTE_NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/** Every failure leaves as one ErrorBody: status, stable code, field, message, correlation id. */
export function toErrorBody(exception: unknown): ErrorBody {
  if (exception instanceof AppError) return exception.toBody();
  // Body-parser failures, as they come or as the Express adapter wraps them.
  const bodyParser = ((exception as { cause?: unknown }).cause ?? exception) as { type?: string };
  if (bodyParser.type === 'entity.parse.failed') {
    return { status: 400, code: 'INVALID_JSON', field: 'body', message: 'the request body is not valid JSON' };
  }
  if (bodyParser.type === 'entity.too.large') {
    return { status: 413, code: 'PAYLOAD_TOO_LARGE', field: 'body', message: 'the request body is too large' };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    return { status, code: CODES_BY_STATUS[status] ?? `HTTP_${status}`, message: exception.message };
  }
  if (isTransient(exception)) {
    return { status: 503, code: 'SERVICE_UNAVAILABLE', message: 'a dependency is unavailable, retry later' };
  }
  return { status: 500, code: 'INTERNAL_ERROR', message: 'unexpected error' };
}

@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(exception);
    const correlationId = currentCorrelation()?.correlationId;
    // A 503 is a dependency away (retried by the caller, shown by /health): a warning. A 500 is a bug: an error.
    if (body.status === 503) this.logger.warn(`${body.code}: ${exception instanceof Error ? exception.message : String(exception)}`);
    else if (body.status >= 500) this.logger.error(exception instanceof Error ? exception : String(exception));
    if (exception instanceof RateLimitedError) response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    // Overloaded or a dependency away: worth retrying soon.
    else if (body.status === 503) response.setHeader('Retry-After', '1');
    response.status(body.status).json(correlationId ? { ...body, correlationId } : body);
  }
}
