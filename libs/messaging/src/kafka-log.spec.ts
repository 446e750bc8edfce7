import { describe, expect, it } from '@jest/globals';
import { logLevel, type LogEntry } from 'kafkajs';
import { kafkaLogSeverity } from './kafka-log.js';

const entry = (level: logLevel, namespace: string, message: string, extra: Record<string, unknown> = {}): LogEntry => ({
  namespace,
  level,
  label: logLevel[level],
  log: { timestamp: '2026-01-01T00:00:00.000Z', message, ...extra },
});

describe('kafkaLogSeverity: what kafkajs retries or hands back is not an error line', () => {
  it.each([
    [
      'a protocol error response (the caller decides)',
      entry(logLevel.ERROR, 'Connection', 'Response Heartbeat(key: 12, version: 3)', {
        error: 'The group is rebalancing, so a rejoin is needed',
      }),
      'debug',
    ],
    [
      'a topic another instance created first',
      entry(logLevel.ERROR, 'Connection', 'Response CreateTopics(key: 19, version: 3)', { error: 'Topic with this name already exists' }),
      'debug',
    ],
    [
      'a partition without its leader yet',
      entry(logLevel.ERROR, 'Connection', 'Response Metadata(key: 3, version: 6)', {
        error: 'This server does not host this topic-partition',
      }),
      'debug',
    ],
    ['a rebalance', entry(logLevel.WARN, 'Runner', 'The group is rebalancing, re-joining'), 'log'],
    [
      'a member the coordinator forgot',
      entry(logLevel.ERROR, 'Runner', 'The coordinator is not aware of this member, re-joining the group'),
      'log',
    ],
    [
      'a send kafkajs retries',
      entry(logLevel.ERROR, 'Producer', 'Failed to send messages: Connection error', { retryCount: 2, retryTime: 800 }),
      'warn',
    ],
    ['a broker away', entry(logLevel.ERROR, 'Connection', 'Connection error: connect ECONNREFUSED 127.0.0.1:9092'), 'warn'],
    ['a consumer restarting', entry(logLevel.ERROR, 'Consumer', 'Restarting the consumer in 1000ms', { retryCount: 0 }), 'warn'],
    [
      'a crash on a leader election',
      entry(logLevel.ERROR, 'Consumer', 'Crash: KafkaJSProtocolError: There is no leader for this topic-partition'),
      'warn',
    ],
  ])('%s: %#', (_what, record, severity) => {
    expect(kafkaLogSeverity(record)).toBe(severity);
  });

  it.each([
    ['a crash for another reason', entry(logLevel.ERROR, 'Consumer', 'Crash: TypeError: cannot read properties of undefined')],
    [
      'an offset out of range (records were lost)',
      entry(logLevel.ERROR, 'ConsumerGroup', 'Offset out of range, resetting to default offset'),
    ],
    ['a handler failing inside kafkajs', entry(logLevel.ERROR, 'Runner', 'Error when calling eachBatch')],
  ])('%s stays an error', (_what, record) => {
    expect(kafkaLogSeverity(record)).toBe('error');
  });
});
