/** Installs the npm dependencies on a fresh clone (before anything imports them). */
import { spawnSync } from 'node:child_process';
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
