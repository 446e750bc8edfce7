import { describe, expect, it } from '@jest/globals';
import type { Envelope } from '@softphone/contracts';
import { applyToDirectory, emptyDirectory } from '../directory/directory.js';
import { entitledSeconds, isEntitled, type Listener } from './entitlement.policy.js';

const envelope = (tenantId: string, type: string, data: Record<string, unknown>) =>
  ({
    id: type,
    type,
    tenantId,
    data,
    schemaVersion: 1,
    occurredAt: '',
    streamId: 's',
    streamVersion: 1,
    correlationId: 'c',
    causationId: null,
  }) as unknown as Envelope;

const directory = emptyDirectory();
for (const e of [
  envelope('A', 'tenant.org-unit-manager-assigned', { orgUnitId: 'ou-1', manager: { managerId: 'm-1' } }),
  envelope('A', 'tenant.org-unit-manager-assigned', { orgUnitId: 'ou-2', manager: { managerId: 'm-2' } }),
  envelope('A', 'agent.created', { agentId: 'a-1', orgUnitId: 'ou-1' }),
  envelope('A', 'agent.created', { agentId: 'a-2', orgUnitId: 'ou-2' }),
  envelope('A', 'call.placed', { callId: 'c-1', agentId: 'a-1' }),
  envelope('B', 'agent.created', { agentId: 'a-1', orgUnitId: 'ou-1' }),
]) {
  applyToDirectory(directory, e);
}

const listener = (role: Listener['role'], tenantId: string, subject: string, tenants: string[] = [tenantId]): Listener => ({
  role,
  tenantId,
  subject,
  tenants: new Set(tenants),
});

describe('live entitlement', () => {
  const muted = envelope('A', 'call.media-changed', { callId: 'c-1' });
  const otherTenantsCall = envelope('B', 'call.placed', { callId: 'c-9', agentId: 'a-1' });
  const notice = envelope('A', 'quality.manager-notified', { managerId: 'm-1', agentId: 'a-1', callId: 'c-1' });
  const tenantEvent = envelope('A', 'tenant.parameters-changed', {});

  it('never gives another tenant anything, whoever asks', () => {
    for (const l of [listener('tenant-admin', 'A', 'x'), listener('agent', 'A', 'a-1'), listener('ou-manager', 'A', 'm-1')]) {
      expect(isEntitled(l, otherTenantsCall, 'call', directory)).toBe(false);
    }
    expect(isEntitled(listener('system-admin', 'system', 'root', ['A']), otherTenantsCall, 'call', directory)).toBe(false);
    expect(isEntitled(listener('system-admin', 'system', 'root', ['A', 'B']), otherTenantsCall, 'call', directory)).toBe(true);
  });

  it('gives an agent its own call events, even those naming only the call, and nothing else', () => {
    expect(isEntitled(listener('agent', 'A', 'a-1'), muted, 'call', directory)).toBe(true);
    expect(isEntitled(listener('agent', 'A', 'a-2'), muted, 'call', directory)).toBe(false);
    expect(isEntitled(listener('agent', 'A', 'a-1'), notice, 'quality', directory)).toBe(false);
    expect(isEntitled(listener('agent', 'A', 'a-1'), tenantEvent, 'tenant', directory)).toBe(false);
    expect(isEntitled(listener('agent', 'A', 'a-1'), envelope('A', 'call.arrived', { callId: 'waiting' }), 'call', directory)).toBe(false);
  });

  it("gives an OU manager its units' agents' events and its own inbox's", () => {
    expect(isEntitled(listener('ou-manager', 'A', 'm-1'), muted, 'call', directory)).toBe(true);
    expect(isEntitled(listener('ou-manager', 'A', 'm-2'), muted, 'call', directory)).toBe(false);
    expect(isEntitled(listener('ou-manager', 'A', 'm-1'), notice, 'quality', directory)).toBe(true);
    expect(isEntitled(listener('ou-manager', 'A', 'm-2'), notice, 'quality', directory)).toBe(false);
    const digest = envelope('A', 'quality.manager-digest-notified', { managerId: 'm-1' });
    expect(isEntitled(listener('ou-manager', 'A', 'm-1'), digest, 'quality', directory)).toBe(true);
    expect(isEntitled(listener('ou-manager', 'A', 'm-2'), digest, 'quality', directory)).toBe(false);
    expect(isEntitled(listener('ou-manager', 'A', 'm-1'), tenantEvent, 'tenant', directory)).toBe(false);
  });

  it('gives a tenant admin everything of its tenant', () => {
    for (const [e, topic] of [
      [muted, 'call'],
      [notice, 'quality'],
      [tenantEvent, 'tenant'],
    ] as const) {
      expect(isEntitled(listener('tenant-admin', 'A', 'admin'), e, topic, directory)).toBe(true);
    }
  });

  it('follows a unit handed to another manager', () => {
    const moved = emptyDirectory();
    applyToDirectory(moved, envelope('A', 'agent.created', { agentId: 'a-1', orgUnitId: 'ou-1' }));
    applyToDirectory(moved, envelope('A', 'tenant.org-unit-manager-assigned', { orgUnitId: 'ou-1', manager: { managerId: 'm-1' } }));
    applyToDirectory(moved, envelope('A', 'tenant.org-unit-manager-assigned', { orgUnitId: 'ou-1', manager: { managerId: 'm-2' } }));
    const signedIn = envelope('A', 'agent.signed-in', { agentId: 'a-1' });
    expect(isEntitled(listener('ou-manager', 'A', 'm-1'), signedIn, 'agent', moved)).toBe(false);
    expect(isEntitled(listener('ou-manager', 'A', 'm-2'), signedIn, 'agent', moved)).toBe(true);
  });

  it("gives each listener only the measured seconds of the agents it follows, never another tenant's", () => {
    const second = (callId: string, agentId: string | null) => ({
      callId,
      agentId,
      second: '2026-01-01T00:00:00.000Z',
      level: 'good' as const,
      metrics: { lossRate: 0, jitterMs: 1, oneWayDelayMs: 20, mos: 4.4 },
      flags: [],
    });
    // c-1 is a-1's (the directory knows it when the second does not say), c-x no one's yet.
    const message = { tenantId: 'A', seconds: [second('c-1', 'a-1'), second('c-2', 'a-2'), second('c-1', null), second('c-x', null)] };
    const calls = (l: Listener) => entitledSeconds(l, message, directory).map((s) => `${s.callId}/${s.agentId}`);
    expect(calls(listener('agent', 'A', 'a-1'))).toEqual(['c-1/a-1', 'c-1/null']);
    expect(calls(listener('agent', 'A', 'a-2'))).toEqual(['c-2/a-2']);
    expect(calls(listener('ou-manager', 'A', 'm-1'))).toEqual(['c-1/a-1', 'c-1/null']);
    expect(calls(listener('ou-manager', 'A', 'm-2'))).toEqual(['c-2/a-2']);
    expect(calls(listener('tenant-admin', 'A', 'admin'))).toHaveLength(4);
    expect(calls(listener('system-admin', 'system', 'root', ['A']))).toHaveLength(4);
    for (const other of [
      listener('tenant-admin', 'B', 'admin'),
      listener('agent', 'B', 'a-1'),
      listener('ou-manager', 'B', 'm-1'),
      listener('system-admin', 'system', 'root', ['B']),
    ]) {
      expect(calls(other)).toEqual([]);
    }
  });
});
