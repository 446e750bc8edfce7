import { describe, it } from '@jest/globals';
import type { QualityLevel } from '@softphone/contracts';
import { deciderSpec } from '@softphone/testing';
import { callQualityDecider, type CallQualityEvent, type CallQualitySummary } from './call-quality.decider.js';

const spec = deciderSpec(callQualityDecider);
const callId = 'call-1';
const agentId = 'agent-1';
const second = '2026-11-24T10:00:03.000Z';
const metrics = { lossRate: 0.02, jitterMs: 4, oneWayDelayMs: 30, mos: 4.2 };

const changed = (from: QualityLevel | null, to: QualityLevel): CallQualityEvent => ({
  type: 'quality.level-changed',
  data: { callId, agentId, from, to, second, metrics },
});
const summary: CallQualitySummary = {
  worstLevel: 'poor',
  secondsByLevel: { good: 10, medium: 0, poor: 3, bad: 0 },
  unratedSeconds: 1,
  firstSecond: '2026-11-24T10:00:01.000Z',
  lastSecond: '2026-11-24T10:00:14.000Z',
  averages: { lossRate: 0.005, jitterMs: 3, oneWayDelayMs: 30, mos: 4.3 },
};
const summarized: CallQualityEvent = { type: 'quality.call-summarized', data: { callId, agentId, ...summary } };

describe('call quality decider', () => {
  it('publishes the first level of a call, from no level', () =>
    spec
      .given([])
      .when({ type: 'ChangeLevel', callId, agentId, to: 'good', second, metrics })
      .then([changed(null, 'good')]));
  it('publishes a change from the current level', () =>
    spec
      .given([changed(null, 'good')])
      .when({ type: 'ChangeLevel', callId, agentId, to: 'poor', second, metrics })
      .then([changed('good', 'poor')]));
  it('publishes nothing when the level is the same', () =>
    spec
      .given([changed(null, 'good')])
      .when({ type: 'ChangeLevel', callId, agentId, to: 'good', second, metrics })
      .then([]));
  it('refuses a level change once the call is summarized', () =>
    spec
      .given([changed(null, 'good'), summarized])
      .when({ type: 'ChangeLevel', callId, agentId, to: 'poor', second, metrics })
      .thenFails('CALL_QUALITY_CLOSED', { status: 409 }));
  it('summarizes a call, also one that never had a rated second', () => {
    spec
      .given([changed(null, 'good')])
      .when({ type: 'Summarize', callId, agentId, summary })
      .then([summarized]);
    const empty: CallQualitySummary = {
      worstLevel: null,
      secondsByLevel: { good: 0, medium: 0, poor: 0, bad: 0 },
      unratedSeconds: 0,
      firstSecond: null,
      lastSecond: null,
      averages: null,
    };
    spec
      .given([])
      .when({ type: 'Summarize', callId, agentId: null, summary: empty })
      .then([{ type: 'quality.call-summarized', data: { callId, agentId: null, ...empty } }]);
  });
  it('refuses to summarize a call twice', () =>
    spec
      .given([summarized])
      .when({ type: 'Summarize', callId, agentId, summary })
      .thenFails('CALL_QUALITY_ALREADY_SUMMARIZED', { status: 409 }));
});

describe('call quality decider: the alert', () => {
  const wentPoor = {
    second,
    rule: { poorSeconds: 3, ofLastSeconds: 5 },
    level: 'poor' as const,
    reasons: [{ reason: 'loss' as const, kind: 'audio' as const, side: 'agent-receive' as const, value: 0.02 }],
    metrics,
  };
  const raised: CallQualityEvent = { type: 'quality.call-went-poor', data: { callId, agentId, ...wentPoor } };
  const later = '2026-11-24T10:00:09.000Z';

  it('raises once while in force', () => {
    spec
      .given([])
      .when({ type: 'RaiseAlert', callId, agentId, ...wentPoor })
      .then([raised]);
    spec
      .given([raised])
      .when({ type: 'RaiseAlert', callId, agentId, ...wentPoor })
      .then([]);
  });
  it('clears an alert in force, naming when it began; nothing to clear otherwise', () => {
    spec
      .given([raised])
      .when({ type: 'ClearAlert', callId, agentId, second: later })
      .then([{ type: 'quality.call-recovered', data: { callId, agentId, second: later, poorSince: second } }]);
    spec.given([]).when({ type: 'ClearAlert', callId, agentId, second: later }).then([]);
  });
  it('refuses alerts once the call is summarized', () =>
    spec
      .given([raised, summarized])
      .when({ type: 'ClearAlert', callId, agentId, second: later })
      .thenFails('CALL_QUALITY_CLOSED', { status: 409 }));
});
