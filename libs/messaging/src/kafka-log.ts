import { logLevel, type LogEntry } from 'kafkajs';

export type LogSeverity = 'debug' | 'log' | 'warn' | 'error';

/** Failures Kafka clears up by itself (a rebalance, a leader election, a coordinator moving, a broker away). */
const SELF_HEALING =
  /rebalanc|re-?join|coordinator|leader|not host this topic-partition|ECONNREFUSED|ECONNRESET|Connection (error|timeout|closed)|NumberOfRetriesExceeded/i;

/**
 * How loud a kafkajs record is here. kafkajs logs at error level what it then
 * retries or hands back to the caller (every protocol error response, every
 * rebalance, every reconnection): that is normal operation, and an error line
 * must mean someone has to look.
 * - a protocol response error: debug (the caller gets it and decides: retry, or fail loudly itself);
 * - a rebalance or a member re-joining: info;
 * - what kafkajs retries (retryCount), reconnects or restarts: warn;
 * - anything else at error level: error.
 */
export function kafkaLogSeverity(entry: LogEntry): LogSeverity {
  const { message, retryCount } = entry.log as { message: string; retryCount?: number };
  if (entry.namespace === 'Connection' && message.startsWith('Response ')) return 'debug';
  if (/rebalanc|re-joining/i.test(message)) return 'log';
  if (retryCount !== undefined || message.startsWith('Restarting the consumer') || entry.namespace === 'Connection') return 'warn';
  if (message.startsWith('Crash: ') && SELF_HEALING.test(message)) return 'warn';
  if (entry.level <= logLevel.ERROR) return 'error';
  return entry.level === logLevel.WARN ? 'warn' : entry.level === logLevel.INFO ? 'log' : 'debug';
}
