import { describe, expect, it } from '@jest/globals';
import { routingCandidate as agent } from './routing-candidate.fixture.js';
import { isRoutable, pickPhone, queueKey, rankAgents, routableQueues } from './routing.policy.js';

describe('routing policy', () => {
  it('routes only to a signed-in agent of the queue, with a registered phone, a reachable softphone and a free line', () => {
    expect(isRoutable(agent('a'), 'q1')).toBe(true);
    expect(isRoutable(agent('a'), 'q2')).toBe(false);
    expect(isRoutable(agent('a', { signedIn: false }), 'q1')).toBe(false);
    expect(isRoutable(agent('a', { phones: { '1': 'failed' } }), 'q1')).toBe(false);
    expect(isRoutable(agent('a', { phones: {} }), 'q1')).toBe(false);
    // Issue 10: "an agent whose heartbeat is stale for 3 periods is not routable".
    expect(isRoutable(agent('a', { reachable: false }), 'q1')).toBe(false);
    expect(isRoutable(agent('a', { lineFree: false }), 'q1')).toBe(false);
  });
  it('keeps an agent with one failed pool phone routable on the other', () => {
    // Issue 10: "The agent works on the registered phone (pool choice among registered phones)".
    expect(isRoutable(agent('a', { phones: { '1': 'failed', '2': 'registered' } }), 'q1')).toBe(true);
    expect(isRoutable(agent('a', { phones: { '1': 'registered', '2': 'deregistered' } }), 'q1')).toBe(true);
  });
  it('indexes an agent under every queue it can take a call of now, none while it cannot take any', () => {
    expect(routableQueues(agent('a', { skillQueueIds: ['q1', 'q2'] }))).toEqual(['q1', 'q2']);
    expect(routableQueues(agent('a', { skillQueueIds: ['q1', 'q2'], lineFree: false }))).toEqual([]);
    expect(routableQueues(agent('a', { skillQueueIds: ['q1'], signedIn: false }))).toEqual([]);
    expect(routableQueues(agent('a', { skillQueueIds: [] }))).toEqual([]);
  });
  it('ranks the agent idle longest first, one that never took a call before all', () => {
    const ranked = rankAgents(
      [
        agent('recent', { freeSince: '2026-11-24T10:05:00.000Z' }),
        agent('never', { freeSince: null }),
        agent('busy', { lineFree: false }),
        agent('longest', { freeSince: '2026-11-24T09:00:00.000Z' }),
      ],
      'q1',
      'call-1',
    );
    expect(ranked).toEqual(['never', 'longest', 'recent']);
  });
  it('orders agents idle equally long differently for different calls', () => {
    const tied = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => agent(id));
    const firsts = new Set(Array.from({ length: 20 }, (_, i) => rankAgents(tied, 'q1', `call-${i}`)[0]));
    expect(firsts.size).toBeGreaterThan(1);
    expect(rankAgents(tied, 'q1', 'call-1')).toEqual(rankAgents(tied, 'q1', 'call-1'));
  });
  it('serves a queue first come, first served, with calls given back at its head', () => {
    const keys = [
      queueKey('2026-11-24T10:00:02.000Z', 'late', false),
      queueKey('2026-11-24T10:00:01.000Z', 'early', false),
      queueKey('2026-11-24T10:00:03.000Z', 'back', true),
    ].sort();
    expect(keys.map((k) => k.split('|')[2])).toEqual(['back', 'early', 'late']);
  });
  it('rings either registered phone of a pool at random, never one that is not registered', () => {
    // Guide: "In pool mode, either of the two phones is used randomly."
    const pool = { '1': 'registered', '2': 'registered' } as const;
    expect(pickPhone(pool, 0.1)).toBe(1);
    expect(pickPhone(pool, 0.9)).toBe(2);
    expect(pickPhone({ '1': 'failed', '2': 'registered' }, 0)).toBe(2);
    expect(pickPhone({ '1': 'registered' }, 0.99)).toBe(1);
  });
});
