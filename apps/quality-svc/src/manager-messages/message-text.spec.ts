import { describe, expect, it } from '@jest/globals';
import { messageText, reasonText } from './message-text.js';

const names = new Map([['a1', 'Ann']]);

describe('the words of a manager message', () => {
  it('names each reason with its measured value and side', () => {
    expect(reasonText({ reason: 'loss', kind: 'audio', side: 'agent-receive', value: 0.04 })).toBe(
      'packet loss 4.00 % on the audio the agent receives',
    );
    expect(reasonText({ reason: 'delay', kind: 'video', side: 'remote-receive', value: 210 })).toBe(
      'one-way delay 210.0 ms on the video the remote end receives',
    );
    expect(reasonText({ reason: 'one-way', kind: 'audio', side: 'agent-receive', value: 3 })).toBe(
      'media in one direction only for 3 s on the audio the agent receives',
    );
  });

  it('tells an alert: agent, call, reasons, metrics', () => {
    const { subject, text } = messageText(
      {
        kind: 'alert',
        level: 'poor',
        callId: 'c1',
        agentId: 'a1',
        second: '2026-11-24T10:00:00.000Z',
        metrics: { lossRate: 0.04, jitterMs: 2, oneWayDelayMs: 15, mos: 3.2 },
        reasons: [{ reason: 'loss', kind: 'audio', side: 'agent-receive', value: 0.04 }],
      },
      names,
    );
    expect(subject).toBe('WebRTC network quality is poor for agent Ann (a1)');
    expect(text).toContain('Why: packet loss 4.00 % on the audio the agent receives.');
  });

  it('tells a digest: how many calls, which agents, worst reasons', () => {
    const { subject, text } = messageText(
      {
        kind: 'digest',
        level: 'bad',
        digest: {
          hourStart: '2026-11-24T10:00:00.000Z',
          hourEnd: '2026-11-24T11:00:00.000Z',
          poorCalls: 3,
          agents: [
            { agentId: 'a1', poorCalls: 2 },
            { agentId: 'a2', poorCalls: 1 },
          ],
          worstReasons: [{ reason: 'jitter', kind: 'audio', side: 'remote-receive', value: 80, callId: 'c2', agentId: 'a2' }],
        },
      },
      names,
    );
    expect(subject).toBe('WebRTC network quality: 3 calls went poor in the last hour');
    expect(text).toContain('Agents: Ann (a1) 2 calls, a2 1 call.');
    expect(text).toContain('Worst reasons: jitter 80.0 ms on the audio the remote end receives (call c2, agent a2).');
  });
});
