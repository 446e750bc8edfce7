import { describe, expect, it } from '@jest/globals';
import { meteredSecond as second, streamSecond as stream } from '../metering/metered-second.fixture.js';
import { QualitySecondsMessage } from '@softphone/contracts';
import { secondMetrics, type MeteredSecond } from '../metering/call-meter.js';
import { SecondsColumns } from '../ingestion/seconds-columns.js';
import { SECONDS_PER_MESSAGE, secondsMessages } from './seconds-json.js';

const AT = Date.parse('2026-12-07T18:00:00.000Z');

interface CallSeconds {
  callId: string;
  agentId: string | null;
  seconds: MeteredSecond[];
}

/** The calls' seconds as the checkpoint holds them: in columns, a call's in order. */
const columnsOf = (calls: readonly CallSeconds[]): SecondsColumns => {
  const columns = new SecondsColumns(2);
  calls.forEach(({ callId, agentId, seconds }, i) => {
    const owner = { meterId: String(i + 1), callId, agentId };
    for (const s of seconds) columns.add(owner, s);
  });
  return columns;
};

/** The message as an object, the way it was built before the JSON was written by hand. */
const asObjects = (tenantId: string, calls: readonly CallSeconds[]): QualitySecondsMessage => ({
  tenantId,
  seconds: calls.flatMap(({ callId, agentId, seconds }) =>
    seconds.map((s) => ({
      callId,
      agentId,
      second: new Date(s.atMs).toISOString(),
      level: s.level,
      metrics: secondMetrics(s.worst),
      flags: s.flags,
    })),
  ),
});

describe("the seconds topic's messages, written by hand", () => {
  it('are the JSON of the message objects, valid QualitySecondsMessages', () => {
    const calls: CallSeconds[] = [
      {
        callId: 'call-1',
        agentId: 'agent-1',
        seconds: [second(AT, stream({})), second(AT + 1000, stream({ level: 'good', lossRate: 0 }))],
      },
      { callId: 'call-2', agentId: null, seconds: [] },
      {
        callId: 'call-3',
        agentId: null,
        seconds: [
          second(AT + 250, stream({ level: 'bad', lossRate: null, oneWay: true, mos: null, oneWayDelayMs: null, noAudio: true }), [
            'no-audio',
            'one-way',
          ]),
          second(AT + 1250, stream({ level: 'poor', lossRate: null, mos: null, silentSeconds: 2 }), ['interpolated']),
        ],
      },
    ];
    const values = secondsMessages('tenant-a', columnsOf(calls));
    expect(values).toEqual([JSON.stringify(asObjects('tenant-a', calls))]);
    expect(QualitySecondsMessage.safeParse(JSON.parse(values[0])).success).toBe(true);
  });

  it('pack up to SECONDS_PER_MESSAGE seconds each, in order, and none for no second', () => {
    const seconds = Array.from({ length: SECONDS_PER_MESSAGE + 1 }, (_, i) => second(AT + i * 1000, stream({})));
    const calls: CallSeconds[] = [
      { callId: 'call-1', agentId: 'agent-1', seconds: seconds.slice(0, 10) },
      { callId: 'call-2', agentId: 'agent-2', seconds: seconds.slice(10) },
    ];
    const values = secondsMessages('tenant-a', columnsOf(calls));
    const all = asObjects('tenant-a', calls).seconds;
    expect(values.map((v) => JSON.parse(v))).toEqual([
      { tenantId: 'tenant-a', seconds: all.slice(0, SECONDS_PER_MESSAGE) },
      { tenantId: 'tenant-a', seconds: all.slice(SECONDS_PER_MESSAGE) },
    ]);
    expect(secondsMessages('tenant-a', columnsOf([{ callId: 'call-1', agentId: null, seconds: [] }]))).toEqual([]);
    expect(secondsMessages('tenant-a', columnsOf(calls), (owner) => owner.callId !== 'call-1')).toEqual([
      JSON.stringify({ tenantId: 'tenant-a', seconds: all.slice(10) }),
    ]);
  });
});
