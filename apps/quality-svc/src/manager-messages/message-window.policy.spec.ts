import { describe, expect, it } from '@jest/globals';
import { decideAlert, digestDue, hourEnds, MESSAGE_WINDOW_MS } from './message-window.policy.js';

const T0 = Date.parse('2026-11-24T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const MINUTE = 60_000;

describe('"Only one internal message can be sent within 60 minutes", and the hour\'s digest', () => {
  it('is 60 minutes', () => expect(MESSAGE_WINDOW_MS).toBe(60 * MINUTE));

  it('sends the first alert of a manager', () => expect(decideAlert({ lastMessageAt: null, held: 0 }, at(0))).toEqual({ action: 'send' }));

  it('holds an alert 59:59 after the last message, for a digest due when the hour ends', () =>
    expect(decideAlert({ lastMessageAt: at(0), held: 0 }, at(60 * MINUTE - 1_000))).toEqual({
      action: 'hold',
      digestFirst: false,
      digestDueAt: at(60 * MINUTE),
    }));

  it('sends an alert 60 minutes after the last message when nothing was held', () =>
    expect(decideAlert({ lastMessageAt: at(0), held: 0 }, at(60 * MINUTE))).toEqual({ action: 'send' }));

  it('sends the overdue digest first when the hour with held alerts ended, and holds the alert for the next', () =>
    expect(decideAlert({ lastMessageAt: at(0), held: 2 }, at(61 * MINUTE))).toEqual({
      action: 'hold',
      digestFirst: true,
      digestDueAt: at(121 * MINUTE),
    }));

  it('makes the digest due when the hour ends, only with held alerts', () => {
    expect(digestDue({ lastMessageAt: at(0), held: 1 }, at(60 * MINUTE - 1))).toBe(false);
    expect(digestDue({ lastMessageAt: at(0), held: 1 }, at(60 * MINUTE))).toBe(true);
    expect(digestDue({ lastMessageAt: at(0), held: 0 }, at(90 * MINUTE))).toBe(false);
    expect(digestDue({ lastMessageAt: null, held: 0 }, at(0))).toBe(false);
  });

  it('ends the hour 60 minutes after the last message', () => {
    expect(hourEnds({ lastMessageAt: at(5 * MINUTE), held: 0 })).toBe(at(65 * MINUTE));
    expect(hourEnds({ lastMessageAt: null, held: 0 })).toBeNull();
  });
});
