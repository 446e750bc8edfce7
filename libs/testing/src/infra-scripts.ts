import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The workspace root (holds nx.json), from the sources or from their copy in dist/. */
function workspaceRoot(): string {
  let dir = new URL('.', import.meta.url).pathname;
  while (!existsSync(join(dir, 'nx.json'))) {
    if (dirname(dir) === dir) throw new Error(`no nx.json above ${import.meta.url}`);
    dir = dirname(dir);
  }
  return dir;
}

/** Imports one of scripts/infra/*.mjs (the same code npm run infra:up runs), e.g. infraScript('kafka'). */
export async function infraScript<T>(name: 'kafka' | 'postgres'): Promise<T> {
  return (await import(pathToFileURL(join(workspaceRoot(), 'scripts/infra', `${name}.mjs`)).href)) as T;
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
