import { describe, it } from '@jest/globals';
import { deciderSpec } from '@softphone/testing';
import { managerInboxDecider, type ManagerInboxEvent, type Notice } from './manager-inbox.decider.js';

const spec = deciderSpec(managerInboxDecider);
const managerId = 'mgr-1';
const T0 = Date.parse('2026-11-24T10:00:00.000Z');
const minutes = (n: number) => new Date(T0 + n * 60_000).toISOString();

const notice = (messageId: string, at: string): Notice => ({
  messageId,
  orgUnitId: 'ou-1',
  callId: `call-${messageId}`,
  agentId: 'agent-1',
  level: 'poor',
  second: at,
  metrics: { lossRate: 0.03, jitterMs: 5, oneWayDelayMs: 30, mos: 3.9 },
  notifiedAt: at,
});
const notified = (messageId: string, at: string): ManagerInboxEvent => ({
  type: 'quality.manager-notified',
  data: { managerId, ...notice(messageId, at) },
});

describe('manager inbox decider', () => {
  describe('notify (at most one internal message per 60 minutes)', () => {
    it('puts the first message in the inbox', () =>
      spec
        .given([])
        .when({ type: 'NotifyManager', managerId, ...notice('m1', minutes(0)) })
        .then([notified('m1', minutes(0))]));
    it('refuses another message 59 minutes 59 seconds later', () =>
      spec
        .given([notified('m1', minutes(0))])
        .when({ type: 'NotifyManager', managerId, ...notice('m2', new Date(T0 + 3_599_999).toISOString()) })
        .thenFails('MANAGER_NOTIFIED_RECENTLY', { status: 409 }));
    it('accepts another message 60 minutes later', () =>
      spec
        .given([notified('m1', minutes(0))])
        .when({ type: 'NotifyManager', managerId, ...notice('m2', minutes(60)) })
        .then([notified('m2', minutes(60))]));
    it('counts the 60 minutes from the latest message', () =>
      spec
        .given([notified('m1', minutes(0)), notified('m2', minutes(70))])
        .when({ type: 'NotifyManager', managerId, ...notice('m3', minutes(125)) })
        .thenFails('MANAGER_NOTIFIED_RECENTLY'));
    it('does nothing for a message it already holds (a retried notification)', () =>
      spec
        .given([notified('m1', minutes(0))])
        .when({ type: 'NotifyManager', managerId, ...notice('m1', minutes(0)) })
        .then([]));
  });

  describe('mark read', () => {
    it('marks a message read once', () => {
      const read: ManagerInboxEvent = { type: 'quality.manager-message-read', data: { messageId: 'm1', managerId } };
      spec
        .given([notified('m1', minutes(0))])
        .when({ type: 'MarkMessageRead', managerId, messageId: 'm1' })
        .then([read]);
      spec
        .given([notified('m1', minutes(0)), read])
        .when({ type: 'MarkMessageRead', managerId, messageId: 'm1' })
        .then([]);
    });
    it('answers 404 for a message that is not in this inbox', () =>
      spec
        .given([notified('m1', minutes(0))])
        .when({ type: 'MarkMessageRead', managerId, messageId: 'other' })
        .thenFails('MESSAGE_NOT_FOUND', { status: 404 }));
  });

  describe('record the mail', () => {
    it('records the mail once', () => {
      const mailed: ManagerInboxEvent = {
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
    it('refuses a message that is not in this inbox', () =>
      spec.given([]).when({ type: 'RecordMailed', managerId, messageId: 'm9', to: 'boss@example.com' }).thenFails('MESSAGE_NOT_FOUND'));
  });
});
