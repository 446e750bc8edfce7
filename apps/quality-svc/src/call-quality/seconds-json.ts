import { secondMetrics, type MeteredSecond } from '../metering/call-meter.js';

export interface CallSeconds {
  callId: string;
  agentId: string | null;
  seconds: readonly MeteredSecond[];
}

/** Seconds per message: about 250 bytes each, well under Kafka's 1 MB message. */
export const SECONDS_PER_MESSAGE = 1_000;

const num = (n: number) => (Number.isFinite(n) ? String(n) : 'null');

/**
 * The values of the seconds topic's messages (QualitySecondsMessage) for these calls' seconds, up to
 * SECONDS_PER_MESSAGE each, in order, written by hand: the same JSON as `JSON.stringify` of the message, without an
 * object per second to build and collect (50,000 seconds a second; seconds-json.spec.ts proves them equal).
 */
export function secondsMessages(tenantId: string, calls: readonly CallSeconds[]): string[] {
  const head = `{"tenantId":${JSON.stringify(tenantId)},"seconds":[`;
  const values: string[] = [];
  let value = head;
  let inMessage = 0;
  let lastAtMs = NaN;
  let lastSecond = '';
  for (const { callId, agentId, seconds } of calls) {
    if (seconds.length === 0) continue;
    const call = `{"callId":${JSON.stringify(callId)},"agentId":${agentId === null ? 'null' : JSON.stringify(agentId)},"second":"`;
    for (const s of seconds) {
      if (s.atMs !== lastAtMs) {
        lastAtMs = s.atMs;
        lastSecond = new Date(s.atMs).toISOString();
      }
      const m = secondMetrics(s.worst);
      value +=
        `${inMessage > 0 ? ',' : ''}${call}${lastSecond}","level":"${s.level}",` +
        `"metrics":{"lossRate":${num(m.lossRate)},"jitterMs":${num(m.jitterMs)},"oneWayDelayMs":${num(m.oneWayDelayMs)},` +
        `"mos":${num(m.mos)}},"flags":[${s.flags.length === 0 ? '' : `"${s.flags.join('","')}"`}]}`;
      if (++inMessage === SECONDS_PER_MESSAGE) {
        values.push(`${value}]}`);
        value = head;
        inMessage = 0;
      }
    }
  }
  if (inMessage > 0) values.push(`${value}]}`);
  return values;
}
