// @ts-check
/**
 * Chromium for the browser tests: Debian's `chromium` package, never a browser
 * downloaded by a test tool. `ensureChromium()` returns the executable's path,
 * installing the package with apt-get when it is missing and we may (root, apt-get
 * present); otherwise it fails saying exactly what to install.
 *
 * Env: CHROMIUM_PATH (an existing Chromium or Chrome executable to use instead).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { InfraError, which } from './process.mjs';

const DEBIAN_PATH = '/usr/bin/chromium';
/** @param {string} message */
const fail = (message) => new InfraError('chromium', message);

/** The Chromium executable if one is installed, else null. */
export function chromiumPath() {
  const configured = process.env.CHROMIUM_PATH;
  if (configured) {
    if (!existsSync(configured)) throw fail(`CHROMIUM_PATH=${configured} does not exist`);
    return configured;
  }
  if (existsSync(DEBIAN_PATH)) return DEBIAN_PATH;
  return which('chromium');
}

/** @param {string[]} args */
function aptGet(args) {
  const result = spawnSync('apt-get', args, {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return { ok: result.status === 0, output: `${result.stdout ?? ''}${result.stderr ?? ''}`.trim() };
}

/**
 * Path of a usable Chromium, installing Debian's package when missing.
 * @param {{ log?: (line: string) => void }} [options]
 * @returns {string}
 */
export function ensureChromium({ log = (line) => void process.stdout.write(`${line}\n`) } = {}) {
  const found = chromiumPath();
  if (found) return found;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!which('apt-get') || !isRoot) {
    throw fail(
      'Chromium is not installed and cannot be installed from here: run `apt-get install -y chromium` as root ' +
        '(Debian/Ubuntu), or set CHROMIUM_PATH to a Chromium/Chrome executable.',
    );
  }
  log('chromium  installing Debian package chromium (apt-get install -y chromium; first run only)...');
  let install = aptGet(['install', '-y', '--no-install-recommends', 'chromium']);
  if (!install.ok) {
    aptGet(['update']);
    install = aptGet(['install', '-y', '--no-install-recommends', 'chromium']);
  }
  const path = chromiumPath();
  if (!install.ok || !path) {
    throw fail(`apt-get could not install chromium (is a Debian mirror reachable?):\n${install.output.split('\n').slice(-15).join('\n')}`);
  }
  return path;
}
