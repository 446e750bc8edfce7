import { describe, expect, it } from '@jest/globals';
import { reactionsTo } from './directory-reactions.policy.js';

describe('directory reactions', () => {
  it('routes an agent who may take calls now', () => {
    expect(reactionsTo({ type: 'agent.signed-in', data: { agentId: 'a1' } })).toEqual([{ kind: 'route-agent', agentId: 'a1' }]);
    expect(reactionsTo({ type: 'agent.softphone-registered', data: { agentId: 'a1', phoneId: 2 } })).toEqual([
      { kind: 'route-agent', agentId: 'a1' },
    ]);
    expect(reactionsTo({ type: 'agent.softphone-reachable', data: { agentId: 'a1', heartbeatAt: '2026-11-24T10:00:00.000Z' } })).toEqual([
      { kind: 'route-agent', agentId: 'a1' },
    ]);
  });
  it('takes back the call ringing on a phone the agent lost, or on any phone when it signs out', () => {
    expect(reactionsTo({ type: 'agent.signed-out', data: { agentId: 'a1' } })).toEqual([
      { kind: 'withdraw-calls', agentId: 'a1', phoneId: null },
    ]);
    expect(reactionsTo({ type: 'agent.softphone-deregistered', data: { agentId: 'a1', phoneId: 2, reason: 'gone' } })).toEqual([
      { kind: 'withdraw-calls', agentId: 'a1', phoneId: 2 },
    ]);
  });
  it('resolves the calls held for a number that appears', () => {
    expect(
      reactionsTo({ type: 'tenant.skill-queue-created', data: { skillQueueId: 'q', name: 'Q', mediaType: 'voice', accessCode: '4001' } }),
    ).toEqual([{ kind: 'resolve-held-calls', dialed: '4001' }]);
    expect(
      reactionsTo({
        type: 'agent.created',
        data: { agentId: 'a1', orgUnitId: 'ou', name: 'A', workNumber: '1', softphoneNumber: '88001', authMode: 'uap' },
      }),
    ).toEqual([{ kind: 'resolve-held-calls', dialed: '88001' }]);
  });
  it('does nothing about facts that change no routing', () => {
    expect(
      reactionsTo({ type: 'agent.softphone-unreachable', data: { agentId: 'a1', lastHeartbeatAt: '2026-11-24T10:00:00.000Z' } }),
    ).toEqual([]);
    expect(reactionsTo({ type: 'tenant.pool-mode-changed', data: { tenantId: 't', poolMode: true } })).toEqual([]);
  });
});
