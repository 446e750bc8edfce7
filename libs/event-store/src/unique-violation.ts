const UNIQUE_VIOLATION = '23505';

/**
 * True when a statement failed on this unique constraint: a concurrent
 * transaction committed the same key first (TypeORM wraps the pg error in
 * driverError).
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  const { driverError } = error as { driverError?: unknown };
  const { code, constraint: violated } = (driverError ?? error) as { code?: string; constraint?: string };
  return code === UNIQUE_VIOLATION && violated === constraint;
}
