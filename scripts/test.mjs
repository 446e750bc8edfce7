#!/usr/bin/env node
/**
 * npm test: every test of the workspace, on a fresh clone too.
 * Installs dependencies if needed, brings the infrastructure up (Kafka from
 * Maven jars, PostgreSQL, Redis, the SMTP sink) and Chromium, builds (some tests run the
 * services as separate processes), typechecks, lints (ESLint + Prettier), then
 * runs each project's tests.
 * Extra arguments go to nx (e.g. npm test -- --projects=call-svc).
 */
import { concurrentSteps, ensureDependencies, step } from './ensure-deps.mjs';

ensureDependencies();
const { up } = await import('./infra.mjs');
const { ensureChromium } = await import('./infra/chromium.mjs');
process.stdout.write('▶ infrastructure\n');
await up();
// The browser tests drive Debian's Chromium (installed here when missing, as Kafka's jars are).
process.stdout.write(`chromium  ${ensureChromium()}\n`);
step('build', 'npm', ['run', 'build', '--silent']);
// Typecheck and lint are one thread each: side by side they take the time of the longer one.
await concurrentSteps([
  { label: 'typecheck', command: 'npx', args: ['tsc', '-p', 'tsconfig.json'] },
  { label: 'lint', command: 'npm', args: ['run', 'lint', '--silent'] },
]);
// A hung test must fail the run, not eat CI's time: GNU timeout kills the whole process group after 30 min.
step(
  'tests',
  'timeout',
  ['--signal=KILL', '30m', 'npx', 'nx', 'run-many', '-t', 'test', '--parallel=2', '--outputStyle=stream', ...process.argv.slice(2)],
  {
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
  },
);
process.exit(0);
