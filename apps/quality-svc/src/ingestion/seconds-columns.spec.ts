import { describe, expect, it } from '@jest/globals';
import { meteredSecond as second, streamSecond as stream } from '../metering/metered-second.fixture.js';
import { SecondsColumns } from './seconds-columns.js';

const AT = Date.parse('2026-12-07T18:00:00.000Z');

describe("a checkpoint's measured seconds in columns", () => {
  it("are the statement's column arrays, nulls as NULL, the streams JSON only where the columns cannot hold them", () => {
    const columns = new SecondsColumns(1);
    const a = { meterId: '7', callId: 'call-a', agentId: null };
    const b = { meterId: '9', callId: 'call-b', agentId: 'agent-b' };
    const silent = stream({
      kind: 'video',
      side: 'remote-receive',
      level: 'bad',
      lossRate: null,
      mos: null,
      oneWayDelayMs: null,
      noAudio: true,
      oneWay: true,
      packetsReceived: null,
      packetsSent: null,
    });
    columns.add(a, second(AT, stream({})));
    columns.add(b, second(AT + 1000, silent, ['interpolated', 'one-way'], [stream({}), silent]));
    columns.add(a, second(AT + 1000, stream({ level: 'good', lossRate: 0 })));
    expect(columns.size).toBe(3);
    expect(columns.params()).toEqual([
      '{7,9,7}',
      `{${AT},${AT + 1000},${AT + 1000}}`,
      '{48,NULL,48}',
      '{50,NULL,50}',
      '{0.04,NULL,0}',
      '{2.5,2.5,2.5}',
      '{15,NULL,15}',
      '{3.912345678901234,NULL,3.912345678901234}',
      '{1,3,0}',
      '{0,5,0}',
      '{audio,video,audio}',
      '{agent-receive,remote-receive,agent-receive}',
      [null, JSON.stringify([stream({}), silent]), null],
    ]);
    expect([0, 1, 2].map((i) => columns.owner(i))).toEqual([a, b, a]);
  });

  it("keep a failed checkpoint's rows before the ones measured since", () => {
    const owner = { meterId: '1', callId: 'call-1', agentId: null };
    const failed = new SecondsColumns(1);
    const since = new SecondsColumns(1);
    for (let k = 0; k < 3; k++) failed.add(owner, second(AT + k * 1000, stream({})));
    since.add(owner, second(AT + 3000, stream({})));
    const joined = failed.followedBy(since);
    expect(joined.instants()).toEqual([AT, AT + 1000, AT + 2000, AT + 3000]);
    expect(joined.params()[0]).toBe('{1,1,1,1}');
  });
});
