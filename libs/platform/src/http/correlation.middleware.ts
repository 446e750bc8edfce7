import type { NextFunction, Request, Response } from 'express';
import { newCorrelationId, withCorrelation } from '@softphone/correlation';

const HEADER = 'x-correlation-id';
const SAFE = /^[A-Za-z0-9._:-]{1,100}$/;

/** Takes the caller's correlation id (or makes one), echoes it, and scopes the request with it. */
export function correlationMiddleware(request: Request, response: Response, next: NextFunction): void {
  const given = request.header(HEADER);
  const correlationId = given && SAFE.test(given) ? given : newCorrelationId();
  response.setHeader(HEADER, correlationId);
  withCorrelation({ correlationId }, () => next());
}
