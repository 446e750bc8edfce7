// @ts-check
/**
 * SMTP sink for development and tests: maildev 3 (node_modules/maildev), SMTP on
 * 127.0.0.1:1025, web UI and REST API on http://127.0.0.1:1080 (env SMTP_PORT, MAIL_API_PORT).
 *
 *   list received mail:  GET    http://127.0.0.1:1080/api/email   (JSON array, arrival order;
 *                        filters on fields as query parameters, e.g. ?to.address=a@b.c)
 *   one mail:            GET    http://127.0.0.1:1080/api/email/<id>
 *   delete all mail:     DELETE http://127.0.0.1:1080/api/email/all
 *   health:              GET    http://127.0.0.1:1080/api/healthz
 * (maildev 2 had these without the /api prefix.)
 */
import { join } from 'node:path';
import { INFRA_DIR, ROOT, shown } from './paths.mjs';
import { InfraError, isAlive, portOpen, runningPid, spawnDetached, stopPid, tail, waitFor } from './process.mjs';

const HOST = '127.0.0.1';
const DIR = join(INFRA_DIR, 'smtp');
const PID = join(DIR, 'maildev.pid');
const LOG = join(DIR, 'maildev.log');
const MAILDEV = join(ROOT, 'node_modules/maildev/dist/bin/maildev.js');
const MATCH = 'maildev';

export const smtpPort = () => Number(process.env.SMTP_PORT ?? 1025);
export const mailApiPort = () => Number(process.env.MAIL_API_PORT ?? 1080);
/** What the services get as SMTP_URL. */
export const smtpUrl = () => `smtp://${HOST}:${smtpPort()}`;
/** maildev's web UI; its REST API is under /api. */
export const mailApiUrl = () => `http://${HOST}:${mailApiPort()}`;

/** @param {string} message */
const fail = (message) => new InfraError('smtp', message);

/**
 * Received mail (full messages, oldest first); `filter` e.g. { 'to.address': 'manager@example.com' }.
 * @param {Record<string, string>} [filter]
 * @returns {Promise<unknown[]>}
 */
export async function listMail(filter = {}) {
  const query = new URLSearchParams(filter).toString();
  const response = await fetch(`${mailApiUrl()}/api/email${query ? `?${query}` : ''}`);
  if (!response.ok) throw new Error(`mail sink: GET /api/email answered ${response.status}`);
  return /** @type {Promise<unknown[]>} */ (response.json());
}

/** Deletes all received mail. */
export async function clearMail() {
  const response = await fetch(`${mailApiUrl()}/api/email/all`, { method: 'DELETE' });
  if (!response.ok) throw new Error(`mail sink: DELETE /api/email/all answered ${response.status}`);
}

/** Ready when the REST API lists messages (and the SMTP port accepts connections). */
async function answers() {
  const listed = await fetch(`${mailApiUrl()}/api/email?limit=1`, { signal: AbortSignal.timeout(2_000) })
    .then(async (r) => r.ok && Array.isArray(await r.json()))
    .catch(() => false);
  return listed && (await portOpen(HOST, smtpPort()));
}

/** @returns {Promise<import('./process.mjs').StartResult>} */
export async function startSmtp() {
  const address = `${smtpUrl()}, UI ${mailApiUrl()}`;
  const pid = runningPid(PID, MATCH);
  if (await answers())
    return { name: 'smtp', address, started: false, owner: pid ? 'ours' : 'external', detail: pid ? `maildev pid ${pid}` : '' };
  if (pid) await stopPid(PID, { graceMs: 5_000, match: MATCH }); // ours but not answering: start afresh
  for (const port of [smtpPort(), mailApiPort()]) {
    if (await portOpen(HOST, port))
      throw fail(`port ${port} is taken by something that is not the maildev sink: stop it, or set SMTP_PORT / MAIL_API_PORT.`);
  }
  const started = spawnDetached(
    process.execPath,
    [MAILDEV, '--smtp', String(smtpPort()), '--ip', HOST, '--web', String(mailApiPort()), '--web-ip', HOST],
    { logFile: LOG, pidFile: PID, cwd: ROOT },
  );
  const ready = await waitFor(answers, 30_000, {
    giveUp: () => (isAlive(started) ? null : `maildev exited while starting; last lines of ${shown(LOG)}:\n${tail(LOG)}`),
  }).catch((/** @type {Error} */ error) => {
    throw fail(error.message);
  });
  if (!ready) {
    await stopPid(PID, { graceMs: 5_000, match: MATCH });
    throw fail(`maildev did not answer within 30 s; last lines of ${shown(LOG)}:\n${tail(LOG)}`);
  }
  return { name: 'smtp', address, started: true, owner: 'ours', detail: `maildev pid ${started}, log ${shown(LOG)}` };
}

/** Stops our maildev only. Returns the pid stopped, or null. */
export const stopSmtp = () => stopPid(PID, { graceMs: 10_000, match: MATCH });

/** @returns {Promise<import('./process.mjs').ComponentStatus>} */
export async function smtpStatus() {
  const pid = runningPid(PID, MATCH);
  const running = await answers();
  return {
    name: 'smtp',
    address: `${smtpUrl()}, UI ${mailApiUrl()}`,
    running,
    owner: running ? (pid ? 'ours' : 'external') : null,
    detail: pid ? `maildev pid ${pid}` : '',
  };
}
