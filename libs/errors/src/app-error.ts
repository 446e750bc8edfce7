/**
 * One error shape for the whole system: an HTTP status, a stable machine code,
 * the offending field when there is one, and a human message.
 */
export interface ErrorBody {
  status: number;
  code: string;
  message: string;
  field?: string;
  details?: unknown;
  correlationId?: string;
}

export interface AppErrorOptions {
  field?: string;
  details?: unknown;
  cause?: unknown;
}

export class AppError extends Error {
  readonly field?: string;
  readonly details?: unknown;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.field = options.field;
    this.details = options.details;
  }

  toBody(): ErrorBody {
    const body: ErrorBody = { status: this.status, code: this.code, message: this.message };
    if (this.field !== undefined) body.field = this.field;
    if (this.details !== undefined) body.details = this.details;
    return body;
  }
}

/** 400: the request is malformed or a value is out of range. */
export class ValidationError extends AppError {
  constructor(field: string, message: string, details?: unknown) {
    super(400, 'VALIDATION_FAILED', message, { field, details });
  }
}

export class UnauthorizedError extends AppError {
  constructor(code: string, message: string) {
    super(401, code, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(code: string, message: string) {
    super(403, code, message);
  }
}

export class NotFoundError extends AppError {
  constructor(resource: string, id: string, field?: string) {
    super(404, `${resource.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_NOT_FOUND`, `${resource} ${id} was not found`, {
      field,
    });
  }
}

/**
 * A business rule refused the command. 409 when the state of the resource is the
 * reason (already enabled, occupied...), 422 when the request itself can never
 * satisfy the rule in the current configuration (pool mode needs two gateways...).
 */
export class DomainError extends AppError {
  constructor(code: string, message: string, options: AppErrorOptions & { status?: 409 | 422 } = {}) {
    super(options.status ?? 409, code, message, options);
  }
}

/** Another writer changed the same stream first; the command may be retried. */
export class ConcurrencyError extends AppError {
  constructor(message: string) {
    super(409, 'CONCURRENT_MODIFICATION', message);
  }
}

/** A dependency (database, broker, cache, mail) is unreachable right now. */
export class UnavailableError extends AppError {
  constructor(dependency: string, cause?: unknown) {
    super(503, 'SERVICE_UNAVAILABLE', `${dependency} is unavailable, retry later`, { cause });
  }
}

/** 429: the caller (a principal, or an address failing to authenticate) went over its rate; retry after the given delay. */
export class RateLimitedError extends AppError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, 'RATE_LIMITED', message, { details: { retryAfterSeconds } });
  }
}
