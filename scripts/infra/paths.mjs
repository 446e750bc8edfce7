// @ts-check
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where the infrastructure keeps its data, logs and pid files (git-ignored); env INFRA_DIR overrides. */
export const INFRA_DIR = resolve(process.env.INFRA_DIR ?? join(ROOT, '.infra'));

/**
 * A path as printed to the user: relative to the repository when inside it.
 * @param {string} path
 */
export function shown(path) {
  const rel = relative(ROOT, path);
  return rel && !rel.startsWith('..') ? rel : path;
}
