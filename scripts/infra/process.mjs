// @ts-check
/** Small helpers for the infrastructure scripts: waiting, ports, pid files, detached processes. */
/**
 * What a component's start() resolves to.
 * @typedef {{ name: string, address: string, started: boolean, owner: 'ours' | 'external', detail?: string }} StartResult
 */
/**
 * What a component's status() resolves to.
 * @typedef {{ name: string, address: string, running: boolean, owner: 'ours' | 'external' | null, detail?: string }} ComponentStatus
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { delimiter, dirname, join } from 'node:path';

/** @param {number} ms */
export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * True when something accepts TCP connections on host:port.
 * @param {string} host
 * @param {number} port
 * @returns {Promise<boolean>}
 */
export function portOpen(host, port, timeoutMs = 1_000) {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    /** @param {boolean} open */
    const done = (open) => {
      socket.destroy();
      resolve(open);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Polls check() until it resolves true, or the time is up (false).
 * giveUp() may return a reason to stop early (e.g. the process died); it is then thrown.
 * @param {() => Promise<boolean>} check
 * @param {number} timeoutMs
 * @param {{ intervalMs?: number, giveUp?: () => string | null }} [options]
 */
export async function waitFor(check, timeoutMs, { intervalMs = 250, giveUp } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return true;
    const reason = giveUp?.();
    if (reason) throw new Error(reason);
    if (Date.now() > deadline) return false;
    await sleep(intervalMs);
  }
}

/**
 * Full path of an executable on the PATH, or null.
 * @param {string} command
 */
export function which(command) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** @param {number} pid */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return /** @type {NodeJS.ErrnoException} */ (error).code === 'EPERM';
  }
}

/**
 * The command line of a running process (Linux /proc), or '' when unknown.
 * @param {number} pid
 */
function commandLine(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replaceAll('\0', ' ');
  } catch {
    return '';
  }
}

/**
 * The pid recorded in pidFile when that process still runs (and, on Linux, its
 * command line contains `match`); a stale pid file is removed.
 * @param {string} pidFile
 * @param {string} [match]
 * @returns {number | null}
 */
export function runningPid(pidFile, match) {
  if (!existsSync(pidFile)) return null;
  const pid = Number(readFileSync(pidFile, 'utf8').trim());
  const alive = pid > 0 && isAlive(pid);
  const cmd = alive && match && existsSync('/proc') ? commandLine(pid) : null;
  if (alive && (cmd === null || cmd === '' || cmd.includes(match ?? ''))) return pid;
  rmSync(pidFile, { force: true });
  return null;
}

/**
 * Starts a process that outlives this script (own process group, no stdin),
 * appends its output to logFile and records its pid in pidFile.
 * @param {string} command
 * @param {string[]} args
 * @param {{ logFile: string, pidFile: string, env?: NodeJS.ProcessEnv, cwd?: string }} options
 * @returns {number} the pid
 */
export function spawnDetached(command, args, { logFile, pidFile, env, cwd }) {
  mkdirSync(dirname(logFile), { recursive: true });
  mkdirSync(dirname(pidFile), { recursive: true });
  const out = openSync(logFile, 'a');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out], env: { ...process.env, ...env }, cwd });
  closeSync(out);
  child.unref();
  if (!child.pid) throw new Error(`could not start ${command}`);
  writeFileSync(pidFile, `${child.pid}\n`);
  return child.pid;
}

/**
 * SIGTERM, wait up to graceMs, then SIGKILL; removes the pid file. Returns the pid stopped, or null.
 * @param {string} pidFile
 * @param {{ graceMs?: number, match?: string }} [options]
 * @returns {Promise<number | null>}
 */
export async function stopPid(pidFile, { graceMs = 30_000, match } = {}) {
  const pid = runningPid(pidFile, match);
  if (!pid) return null;
  process.kill(pid, 'SIGTERM');
  if (!(await waitFor(async () => !isAlive(pid), graceMs, { intervalMs: 200 }))) {
    process.stdout.write(`  pid ${pid} still running after ${graceMs / 1000} s: SIGKILL\n`);
    process.kill(pid, 'SIGKILL');
    await waitFor(async () => !isAlive(pid), 5_000, { intervalMs: 100 });
  }
  rmSync(pidFile, { force: true });
  return pid;
}

/**
 * The last lines of a log file, indented, for error messages.
 * @param {string} file
 */
export function tail(file, lines = 30) {
  if (!existsSync(file)) return `  (no log at ${file})`;
  const text = readFileSync(file, 'utf8').trimEnd();
  if (!text) return `  (${file} is empty)`;
  return text
    .split('\n')
    .slice(-lines)
    .map((line) => `  ${line}`)
    .join('\n');
}

/** A failure with an actionable message (printed without a stack trace). */
export class InfraError extends Error {
  /**
   * @param {string} component
   * @param {string} message
   */
  constructor(component, message) {
    super(`${component}: ${message}`);
    this.name = 'InfraError';
    this.component = component;
  }
}
