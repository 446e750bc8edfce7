import { describe, expect, it } from '@jest/globals';
import type { PoorReason } from '@softphone/contracts';
import { hourDigest } from './hour-digest.policy.js';

const loss = (value: number): PoorReason => ({ reason: 'loss', kind: 'audio', side: 'agent-receive', value });
const delay = (value: number): PoorReason => ({ reason: 'delay', kind: 'audio', side: 'remote-receive', value });

describe("the hour's digest: how many calls went poor, which agents, worst reasons", () => {
  it('counts each call once, agents most affected first, and the worst value of each reason with where it was', () =>
    expect(
      hourDigest([
        { callId: 'c1', agentId: 'a2', level: 'poor', reasons: [loss(0.04)] },
        { callId: 'c2', agentId: 'a1', level: 'bad', reasons: [loss(0.09), delay(450)] },
        { callId: 'c3', agentId: 'a1', level: 'poor', reasons: [delay(420)] },
        { callId: 'c1', agentId: 'a2', level: 'bad', reasons: [loss(0.2)] },
      ]),
    ).toEqual({
      poorCalls: 3,
      level: 'bad',
      agents: [
        { agentId: 'a1', poorCalls: 2 },
        { agentId: 'a2', poorCalls: 1 },
      ],
      worstReasons: [
        { ...loss(0.2), callId: 'c1', agentId: 'a2' },
        { ...delay(450), callId: 'c2', agentId: 'a1' },
      ],
    }));

  it('orders agents with as many calls by id', () =>
    expect(
      hourDigest([
        { callId: 'c1', agentId: 'b', level: 'poor', reasons: [] },
        { callId: 'c2', agentId: 'a', level: 'poor', reasons: [] },
      ]).agents.map((a) => a.agentId),
    ).toEqual(['a', 'b']));
});
