import { describe, expect, it } from '@jest/globals';
import type { CallEvent } from '@softphone/contracts';
import { agentLineDecider, type AgentLineState } from '../agent-lines/agent-line.decider.js';
import { callDecider, type CallState } from '../calls/call.decider.js';
import { assignCalls, decideOffers } from './dispatch-offers.policy.js';
import { routingCandidate } from './routing-candidate.fixture.js';
import type { RoutingCandidate } from './routing.policy.js';

const agent = (agentId: string, freeSince: string | null, patch: Partial<RoutingCandidate> = {}) =>
  routingCandidate(agentId, { freeSince, ...patch });
const t0 = '2026-11-24T10:00:00.000Z';
const fold = <S>(evolve: (s: S, e: CallEvent) => S, initial: S, events: CallEvent[]) => events.reduce(evolve, initial);
const queuedCall = (callId: string): CallState =>
  fold(callDecider.evolve, callDecider.initialState, [
    { type: 'call.arrived', data: { callId, caller: '5550100', dialed: '4001', media: 'voice', at: t0 } },
    { type: 'call.queued', data: { callId, skillQueueId: 'q1', via: 'access-code', ivrId: null, announcementEndsAt: null } },
  ]);
const freeLine: AgentLineState = agentLineDecider.initialState;

describe('dispatch offers policy', () => {
  it('gives the calls, oldest first, the agents idle longest, one call per agent', () => {
    const agents = [agent('a3', '2026-11-24T09:03:00.000Z'), agent('a1', '2026-11-24T09:01:00.000Z'), agent('a2', null)];
    const { assignments, left } = assignCalls(['c1', 'c2'], agents, 'q1');
    expect(assignments.map((a) => [a.callId, a.agent.agentId])).toEqual([
      ['c1', 'a2'],
      ['c2', 'a1'],
    ]);
    expect(left.map((a) => a.agentId)).toEqual(['a3']);
  });

  it('stops at the first call no agent is left for: no younger call goes before it', () => {
    const agents = [agent('a1', t0), agent('a2', t0, { skillQueueIds: ['q2'] }), agent('a3', t0, { reachable: false })];
    const { assignments, left } = assignCalls(['c1', 'c2', 'c3'], agents, 'q1');
    expect(assignments.map((a) => a.callId)).toEqual(['c1']);
    expect(left.map((a) => a.agentId)).toEqual(['a2', 'a3']);
  });

  it("reserves each agent's line and offers it its call, auto-answered two seconds after the offer", () => {
    const { assignments } = assignCalls(['c1', 'c2'], [agent('a1', null), agent('a2', t0, { phones: { '2': 'registered' } })], 'q1');
    const offers = decideOffers(
      assignments,
      new Map([
        ['a1', freeLine],
        ['a2', freeLine],
      ]),
      new Map([
        ['c1', queuedCall('c1')],
        ['c2', queuedCall('c2')],
      ]),
      t0,
      () => 0.9,
    );
    expect(offers).toEqual([
      {
        callId: 'c1',
        agentId: 'a1',
        lineEvents: [{ type: 'call.agent-line-reserved', data: { agentId: 'a1', callId: 'c1' } }],
        callEvents: [
          {
            type: 'call.offered',
            data: { callId: 'c1', agentId: 'a1', phoneId: 1, skillQueueId: 'q1', autoAnswerDueAt: '2026-11-24T10:00:02.000Z', at: t0 },
          },
        ],
        autoAnswerDueAt: '2026-11-24T10:00:02.000Z',
      },
      expect.objectContaining({ callId: 'c2', agentId: 'a2', autoAnswerDueAt: '2026-11-24T10:00:02.000Z' }),
    ]);
    // Guide: "In pool mode, either of the two phones is used randomly": a2 has only phone 2 registered.
    expect(offers[1].callEvents[0].data).toMatchObject({ phoneId: 2 });
  });

  it('refuses the whole pass when a line is no longer free (the pass fails and runs again)', () => {
    const { assignments } = assignCalls(['c1'], [agent('a1', null)], 'q1');
    const busy = fold(agentLineDecider.evolve, freeLine, [{ type: 'call.agent-line-reserved', data: { agentId: 'a1', callId: 'c0' } }]);
    expect(() => decideOffers(assignments, new Map([['a1', busy]]), new Map([['c1', queuedCall('c1')]]), t0, Math.random)).toThrow(
      'the agent is on another call',
    );
  });
});
