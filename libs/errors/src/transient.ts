import { ConcurrencyError, UnavailableError } from './app-error.js';

/**
 * PostgreSQL SQLSTATE classes and codes that clear up by themselves: connection
 * loss, server shutting down, serialization failures, deadlocks, lock timeouts.
 */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '53300']);
const TRANSIENT_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTCONN', 'EAI_AGAIN']);
const TRANSIENT_MESSAGES = [
  /Connection terminated/i,
  /Client has encountered a connection error/i,
  /timeout exceeded when trying to connect/i,
  /Connection is closed/i,
  /the database system is (starting up|shutting down)/i,
  // ioredis, Redis unreachable: a command queued while it reconnects gives up after maxRetriesPerRequest.
  /Reached the max retries per request limit/i,
];

/**
 * True when retrying the same operation later can succeed without anyone
 * changing the input: the failure came from infrastructure or a race, not from
 * the message or command itself.
 */
export function isTransient(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth++) {
    if (e instanceof ConcurrencyError || e instanceof UnavailableError) return true;
    if (typeof e === 'object') {
      const { code, message, retriable } = e as { code?: unknown; message?: unknown; retriable?: unknown };
      if (retriable === true) return true;
      if (typeof code === 'string') {
        if (TRANSIENT_SQLSTATES.has(code) || code.startsWith('08') || TRANSIENT_NODE_CODES.has(code)) return true;
      }
      if (typeof message === 'string' && TRANSIENT_MESSAGES.some((re) => re.test(message))) return true;
    }
    e = (e as { cause?: unknown; driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return false;
}
