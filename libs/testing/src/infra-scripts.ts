import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const INFRA_SCRIPTS = join(new URL('.', import.meta.url).pathname, '../../../scripts/infra');

/** Imports one of scripts/infra/*.mjs (the same code npm run infra:up runs), e.g. infraScript('kafka'). */
export async function infraScript<T>(name: 'kafka' | 'postgres'): Promise<T> {
  return (await import(pathToFileURL(join(INFRA_SCRIPTS, `${name}.mjs`)).href)) as T;
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}
