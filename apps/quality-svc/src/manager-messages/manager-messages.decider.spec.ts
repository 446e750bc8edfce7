import { describe, it } from '@jest/globals';
import type { PoorReason } from '@softphone/contracts';
import { deciderSpec } from '@softphone/testing';
import { managerMessagesDecider, type Alert, type ManagerMessagesEvent } from './manager-messages.decider.js';

const spec = deciderSpec(managerMessagesDecider);
const managerId = 'mgr-1';
const T0 = Date.parse('2026-11-24T10:00:00.000Z');
const minutes = (n: number) => new Date(T0 + n * 60_000).toISOString();
const loss: PoorReason = { reason: 'loss', kind: 'audio', side: 'agent-receive', value: 0.03 };

const alert = (messageId: string, at: string, agentId = 'agent-1'): Alert => ({
  messageId,
  orgUnitId: 'ou-1',
  callId: `call-${messageId}`,
  agentId,
  level: 'poor',
  second: at,
  reasons: [loss],
  metrics: { lossRate: 0.03, jitterMs: 5, oneWayDelayMs: 30, mos: 3.9 },
});
const report = (messageId: string, at: string, agentId?: string) =>
  ({ type: 'ReportPoorCall', managerId, alert: alert(messageId, at, agentId), at, digestMessageId: `d-${messageId}` }) as const;
const notified = (messageId: string, at: string): ManagerMessagesEvent => ({
  type: 'quality.manager-notified',
  data: { managerId, ...alert(messageId, at), notifiedAt: at },
});
const held = (messageId: string, at: string, digestDueAt: string, agentId = 'agent-1'): ManagerMessagesEvent => {
  const { messageId: alertId, metrics: _metrics, ...rest } = alert(messageId, at, agentId);
  return { type: 'quality.manager-alert-held', data: { alertId, managerId, ...rest, heldAt: at, digestDueAt } };
};
const digest = (messageId: string, hourStart: string, at: string, calls: Array<{ id: string; agentId: string }>): ManagerMessagesEvent => ({
  type: 'quality.manager-digest-notified',
  data: {
    messageId,
    managerId,
    hourStart,
    hourEnd: new Date(Date.parse(hourStart) + 3_600_000).toISOString(),
    poorCalls: calls.length,
    level: 'poor',
    agents: [...new Set(calls.map((c) => c.agentId))].map((agentId) => ({
      agentId,
      poorCalls: calls.filter((c) => c.agentId === agentId).length,
    })),
    worstReasons: [{ ...loss, callId: `call-${calls[0].id}`, agentId: calls[0].agentId }],
    notifiedAt: at,
  },
});

describe('manager messages decider', () => {
  describe('a call gone poor (at most one internal message per 60 minutes)', () => {
    it('is the first message', () =>
      spec
        .given([])
        .when(report('m1', minutes(0)))
        .then([notified('m1', minutes(0))]));
    // Issue 9 changed this: a second alert within the hour used to be refused (MANAGER_NOTIFIED_RECENTLY); it is held for the digest.
    it('is held 59 minutes 59 seconds later, for the digest due when the hour ends', () => {
      const at = new Date(T0 + 3_599_999).toISOString();
      spec
        .given([notified('m1', minutes(0))])
        .when(report('m2', at))
        .then([held('m2', at, minutes(60))]);
    });
    it('is the message again 60 minutes later when nothing was held', () =>
      spec
        .given([notified('m1', minutes(0))])
        .when(report('m2', minutes(60)))
        .then([notified('m2', minutes(60))]));
    it('counts the 60 minutes from the latest message', () =>
      spec
        .given([notified('m1', minutes(0)), notified('m2', minutes(70))])
        .when(report('m3', minutes(125)))
        .then([held('m3', minutes(125), minutes(130))]));
    it('does nothing for an alert it already sent or holds (a retried notification)', () => {
      spec
        .given([notified('m1', minutes(0))])
        .when(report('m1', minutes(0)))
        .then([]);
      spec
        .given([notified('m1', minutes(0)), held('m2', minutes(5), minutes(60))])
        .when(report('m2', minutes(6)))
        .then([]);
    });
    it('sends an overdue digest first, the alert then being held in the new hour', () =>
      spec
        .given([notified('m1', minutes(0)), held('m2', minutes(5), minutes(60))])
        .when(report('m3', minutes(61)))
        .then([digest('d-m3', minutes(0), minutes(61), [{ id: 'm2', agentId: 'agent-1' }]), held('m3', minutes(61), minutes(121))]));
  });

  describe("the hour's digest", () => {
    const hour = [notified('m1', minutes(0)), held('m2', minutes(5), minutes(60), 'a1'), held('m3', minutes(20), minutes(60), 'a2')];
    const send = (at: string) => ({ type: 'SendDigest', managerId, at, digestMessageId: 'd1' }) as const;
    it('is sent once the hour with held alerts ended: how many calls, which agents, worst reasons', () =>
      spec
        .given(hour)
        .when(send(minutes(60)))
        .then([
          digest('d1', minutes(0), minutes(60), [
            { id: 'm2', agentId: 'a1' },
            { id: 'm3', agentId: 'a2' },
          ]),
        ]));
    it('is not sent before the hour ends, nor twice, nor without held alerts', () => {
      spec
        .given(hour)
        .when(send(minutes(59)))
        .then([]);
      spec
        .given([...hour, digest('d1', minutes(0), minutes(60), [{ id: 'm2', agentId: 'a2' }])])
        .when(send(minutes(61)))
        .then([]);
      spec
        .given([notified('m1', minutes(0))])
        .when(send(minutes(61)))
        .then([]);
    });
    it('is the message of the next hour: an alert within it is held', () =>
      spec
        .given([...hour, digest('d1', minutes(0), minutes(60), [{ id: 'm2', agentId: 'a2' }])])
        .when(report('m4', minutes(100)))
        .then([held('m4', minutes(100), minutes(120))]));
  });

  describe('mark read', () => {
    it('marks a message read once', () => {
      const read: ManagerMessagesEvent = { type: 'quality.manager-message-read', data: { messageId: 'm1', managerId } };
      spec
        .given([notified('m1', minutes(0))])
        .when({ type: 'MarkMessageRead', managerId, messageId: 'm1' })
        .then([read]);
      spec
        .given([notified('m1', minutes(0)), read])
        .when({ type: 'MarkMessageRead', managerId, messageId: 'm1' })
        .then([]);
    });
    it("answers 404 for a message that is not among this manager's", () =>
      spec
        .given([notified('m1', minutes(0)), held('m2', minutes(5), minutes(60))])
        .when({ type: 'MarkMessageRead', managerId, messageId: 'm2' })
        .thenFails('MESSAGE_NOT_FOUND', { status: 404 }));
  });

  describe('record the mail', () => {
    it('records the mail once', () => {
      const mailed: ManagerMessagesEvent = {
        type: 'quality.manager-message-mailed',
        data: { messageId: 'm1', managerId, to: 'boss@example.com' },
      };
      spec
        .given([notified('m1', minutes(0))])
        .when({ type: 'RecordMailed', managerId, messageId: 'm1', to: 'boss@example.com' })
        .then([mailed]);
      spec
        .given([notified('m1', minutes(0)), mailed])
        .when({ type: 'RecordMailed', managerId, messageId: 'm1', to: 'boss@example.com' })
        .then([]);
    });
    it("refuses a message that is not among this manager's", () =>
      spec.given([]).when({ type: 'RecordMailed', managerId, messageId: 'm9', to: 'boss@example.com' }).thenFails('MESSAGE_NOT_FOUND'));
  });

  it('reads a v1 quality.manager-notified (no reasons) as a sent message', () => {
    const { reasons: _reasons, ...v1 } = (notified('m1', minutes(0)) as { data: Record<string, unknown> }).data;
    spec
      .given([{ type: 'quality.manager-notified', schemaVersion: 1, data: v1 } as unknown as ManagerMessagesEvent])
      .when(report('m2', minutes(10)))
      .then([held('m2', minutes(10), minutes(60))]);
  });
});
