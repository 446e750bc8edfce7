/** Installs the npm dependencies on a fresh clone (before anything imports them). */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(import.meta.url), '../..');

export function ensureDependencies() {
  if (existsSync(join(root, 'node_modules/.package-lock.json'))) return;
  process.stdout.write('installing npm dependencies (npm ci)...\n');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

/** Runs a command in the workspace root, inheriting the output; exits on failure. */
export function step(label, command, args, env = {}) {
  process.stdout.write(`\n▶ ${label}\n`);
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) {
    process.stderr.write(`✖ ${label} failed\n`);
    process.exit(result.status ?? 1);
  }
}

/**
 * Runs commands at the same time (each on its own core), their output printed whole as each ends, in the given order;
 * exits when one failed, after all ended.
 */
export async function concurrentSteps(steps) {
  const runs = steps.map(({ label, command, args }) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    return new Promise((resolve) => child.on('close', (status) => resolve({ label, status, output: Buffer.concat(output) })));
  });
  let failed = false;
  for (const { label, status, output } of await Promise.all(runs)) {
    process.stdout.write(`\n▶ ${label}\n`);
    process.stdout.write(output);
    if (status !== 0) {
      process.stderr.write(`✖ ${label} failed\n`);
      failed = true;
    }
  }
  if (failed) process.exit(1);
}
