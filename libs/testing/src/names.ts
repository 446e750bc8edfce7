import { randomBytes } from 'node:crypto';

/**
 * A short name unique to this test file run: test files run in parallel against
 * one PostgreSQL server and one broker, each in its own databases, topics and
 * consumer groups.
 */
export function uniqueName(label: string): string {
  const clean = label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .slice(0, 30);
  return `t_${clean}_${randomBytes(4).toString('hex')}`;
}
