/**
 * Runs the benchmarks and prints their figures: npm run bench [-- <name filter>]
 * Every bench/<area>/*.bench.ts default-exports an async function that prints its
 * own table; they run one after the other so they do not compete for the 2 cores.
 */
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const filter = process.argv[2] ?? '';

function benches(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return benches(path);
    return name.endsWith('.bench.js') ? [path] : [];
  });
}

/** A bench's name is its path under bench/ (e.g. quality/ingest): the filter matches that, not the checkout's folders. */
const nameOf = (file: string) => relative(here, file).replace(/\.bench\.js$/, '');

for (const file of benches(here)
  .filter((f) => nameOf(f).includes(filter))
  .sort()) {
  const name = nameOf(file);
  process.stdout.write(`\n=== ${name} ===\n`);
  const bench = (await import(pathToFileURL(file).href)) as { default: () => Promise<void> };
  await bench.default();
}
process.exit(0);
