import { StandardSchemaValidationPipe } from '@nestjs/common';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { ValidationError } from '@softphone/errors';

/** "gateways[0].address" from a Standard Schema issue path. */
export function fieldOf(issue: StandardSchemaV1.Issue): string {
  let field = '';
  for (const segment of issue.path ?? []) {
    const key = typeof segment === 'object' ? segment.key : segment;
    field += typeof key === 'number' ? `[${key}]` : field ? `.${String(key)}` : String(key);
  }
  return field || 'body';
}

/** Validates every parameter declared with a schema (@Body({ schema })), as 400 VALIDATION_FAILED. */
export function validationPipe(): StandardSchemaValidationPipe {
  return new StandardSchemaValidationPipe({
    exceptionFactory: (issues) => {
      const all = issues.map((issue) => ({ field: fieldOf(issue), message: issue.message }));
      return new ValidationError(all[0].field, `${all[0].field}: ${all[0].message}`, all);
    },
  });
}
