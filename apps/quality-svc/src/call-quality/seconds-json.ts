import type { SecondsColumns, SecondsOwner } from '../ingestion/seconds-columns.js';

/** Seconds per message: about 250 bytes each, well under Kafka's 1 MB message. */
export const SECONDS_PER_MESSAGE = 1_000;

const num = (n: number) => (Number.isFinite(n) ? String(n) : 'null');

/**
 * The values of the seconds topic's messages (QualitySecondsMessage) for these seconds (those of the calls `shown`
 * lets through), up to SECONDS_PER_MESSAGE each, in order, written by hand from the columns: the same JSON as
 * `JSON.stringify` of the message, without an object per second to build and collect (50,000 seconds a second;
 * seconds-json.spec.ts proves them equal).
 */
export function secondsMessages(tenantId: string, seconds: SecondsColumns, shown: (owner: SecondsOwner) => boolean = () => true): string[] {
  const head = `{"tenantId":${JSON.stringify(tenantId)},"seconds":[`;
  const values: string[] = [];
  // Each message's pieces joined once (a flat string): `+=` would build a rope of thousands of pieces that kafkajs'
  // Buffer.byteLength flattens again (7 % of the service's CPU at 50,000 seconds a second).
  let parts = [head];
  let lastAtMs = NaN;
  let lastSecond = '';
  let lastOwner: SecondsOwner | null = null;
  let call = '';
  for (let i = 0; i < seconds.size; i++) {
    const owner = seconds.owner(i);
    if (!shown(owner)) continue;
    if (owner !== lastOwner) {
      lastOwner = owner;
      call = `{"callId":${JSON.stringify(owner.callId)},"agentId":${owner.agentId === null ? 'null' : JSON.stringify(owner.agentId)},"second":"`;
    }
    const s = seconds.shown(i);
    if (s.atMs !== lastAtMs) {
      lastAtMs = s.atMs;
      lastSecond = new Date(s.atMs).toISOString();
    }
    parts.push(
      `${parts.length > 1 ? ',' : ''}${call}${lastSecond}","level":"${s.level}",` +
        `"metrics":{"lossRate":${num(s.lossRate)},"jitterMs":${num(s.jitterMs)},"oneWayDelayMs":${num(s.oneWayDelayMs)},` +
        `"mos":${num(s.mos)}},"flags":[${s.flags.length === 0 ? '' : `"${s.flags.join('","')}"`}]}`,
    );
    if (parts.length - 1 === SECONDS_PER_MESSAGE) {
      parts.push(']}');
      values.push(parts.join(''));
      parts = [head];
    }
  }
  if (parts.length > 1) {
    parts.push(']}');
    values.push(parts.join(''));
  }
  return values;
}
