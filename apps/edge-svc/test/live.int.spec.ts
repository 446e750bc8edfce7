import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import type { DirectoryCheckpoint } from '../src/directory/directory.js';
import { eventually, publishSeconds, publishUpstream, uniqueTopicPrefix } from '@softphone/testing';
import { LiveClient } from './live-client.js';
import { createTopics, startTestEdge, token, upstream as u, type RunningEdge } from './support.js';

const prefix = uniqueTopicPrefix('edge-live');
const A = 'tenant-a';
const B = 'tenant-b';
const ids = (client: LiveClient) => client.events().map((e) => e.id);
const callIds = (client: LiveClient) => client.events().map((e) => `${e.type}:${String(e.data.callId ?? e.data.agentId)}`);

describe('live channel', () => {
  let one: RunningEdge;
  let two: RunningEdge;
  const clients: LiveClient[] = [];
  const connect = async (edge: RunningEdge, auth: Record<string, unknown>) => {
    const client = await LiveClient.connect(edge.liveUrl, auth);
    clients.push(client);
    await eventually(() => expect(client.ready ?? client.closed).toBeTruthy(), 30_000);
    return client;
  };

  beforeAll(async () => {
    await createTopics(prefix);
    // The directory exists before the instances start: they read it from the beginning of the topics.
    await publishUpstream(prefix, [
      u.orgUnit(A, 'ou-1'),
      u.orgUnit(A, 'ou-2'),
      u.manager(A, 'ou-1', 'manager-1'),
      u.manager(A, 'ou-2', 'manager-2'),
      u.agent(A, 'agent-1', 'ou-1'),
      u.agent(A, 'agent-2', 'ou-2'),
      u.agent(B, 'agent-1', 'ou-1'),
      u.manager(B, 'ou-1', 'manager-1'),
    ]);
    [one, two] = await Promise.all([startTestEdge(prefix, 'edge-1'), startTestEdge(prefix, 'edge-2')]);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await Promise.all([one?.app.close(), two?.app.close()]);
  });

  it('scopes every event like REST, and never lets another tenant or another agent see one', async () => {
    const admin = await connect(one, { token: await token('tenant-admin', A, 'admin-a') });
    const agent1 = await connect(two, { token: await token('agent', A, 'agent-1') });
    const manager1 = await connect(one, { token: await token('ou-manager', A, 'manager-1') });
    const system = await connect(two, { token: await token('system-admin', 'system', 'root'), tenants: [A] });
    const otherTenant = await connect(one, { token: await token('tenant-admin', B, 'admin-b') });
    const otherAgent1 = await connect(two, { token: await token('agent', B, 'agent-1') });

    // agent-3 joins ou-1 after the instances started: the directory follows.
    await publishUpstream(prefix, [
      u.agent(A, 'agent-3', 'ou-1'),
      u.placed(A, 'c-1', 'agent-1'),
      u.muted(A, 'c-1'),
      u.placed(A, 'c-2', 'agent-2'),
      u.muted(A, 'c-2'),
      u.placed(A, 'c-3', 'agent-3'),
      u.waiting(A, 'c-4'),
      u.notified(A, 'manager-1', 'ou-1', 'c-1', 'agent-1'),
      u.notified(A, 'manager-2', 'ou-2', 'c-2', 'agent-2'),
      u.placed(B, 'c-9', 'agent-1'),
      u.ended(A, 'c-1', 'agent-1'),
    ]);
    await eventually(() => expect(callIds(admin)).toContain('call.ended:c-1'));
    await eventually(() => expect(callIds(otherTenant)).toContain('call.placed:c-9'));
    await eventually(() => expect(callIds(agent1)).toContain('call.ended:c-1'));
    await eventually(() => expect(callIds(manager1)).toContain('call.ended:c-1'));
    await eventually(() => expect(ids(system)).toHaveLength(ids(admin).length));

    expect(callIds(admin).sort()).toEqual(
      [
        'agent.created:agent-3',
        'call.placed:c-1',
        'call.media-changed:c-1',
        'call.placed:c-2',
        'call.media-changed:c-2',
        'call.placed:c-3',
        'call.arrived:c-4',
        'quality.manager-notified:c-1',
        'quality.manager-notified:c-2',
        'call.ended:c-1',
      ].sort(),
    );
    expect(new Set(ids(system))).toEqual(new Set(ids(admin)));
    // The agent: its own call only (the mute names only the call), no manager message about it, nothing of B.
    expect(callIds(agent1).sort()).toEqual(['call.ended:c-1', 'call.media-changed:c-1', 'call.placed:c-1']);
    // The manager of ou-1: its agents' events (agent-3 created after start included), its own message only.
    expect(callIds(manager1).sort()).toEqual([
      'agent.created:agent-3',
      'call.ended:c-1',
      'call.media-changed:c-1',
      'call.placed:c-1',
      'call.placed:c-3',
      'quality.manager-notified:c-1',
    ]);
    // Tenant B: only its own, although its agent and manager have the same ids as A's.
    expect(callIds(otherTenant)).toEqual(['call.placed:c-9']);
    await eventually(() => expect(callIds(otherAgent1)).toEqual(['call.placed:c-9']));
    for (const client of [admin, agent1, manager1, system, otherTenant, otherAgent1]) {
      expect(new Set(ids(client)).size).toBe(ids(client).length);
    }
    expect(otherTenant.events().every((e) => e.tenantId === B)).toBe(true);
  });

  it('gives a browser every entitled event once whichever instance it is on, and resumes on another without gap or duplicate', async () => {
    const watcherOne = await connect(one, { token: await token('tenant-admin', A, 'admin-a') });
    const watcherTwo = await connect(two, { token: await token('tenant-admin', A, 'admin-a') });
    const moving = await connect(one, { token: await token('agent', A, 'agent-2') });
    const batch = (n: number, from: number) => Array.from({ length: n }, (_, i) => u.placed(A, `r-${from + i}`, 'agent-2'));

    await publishUpstream(prefix, batch(10, 0));
    await eventually(() => expect(moving.events()).toHaveLength(10));
    await moving.close();
    const resumeFrom = moving.position;
    await publishUpstream(prefix, batch(10, 10)); // missed while disconnected
    const resumed = await connect(two, { token: await token('agent', A, 'agent-2'), position: resumeFrom });
    expect(resumed.ready).toMatchObject({ type: 'ready', reset: false });
    await publishUpstream(prefix, batch(10, 20)); // live after the resume

    await eventually(() => expect(resumed.events()).toHaveLength(20));
    for (const watcher of [watcherOne, watcherTwo]) {
      await eventually(() => expect(watcher.events().filter((e) => String(e.data.callId).startsWith('r-'))).toHaveLength(30));
    }
    const seen = [...moving.events(), ...resumed.events()].map((e) => String(e.data.callId));
    expect(seen.sort()).toEqual(Array.from({ length: 30 }, (_, i) => `r-${i}`).sort());
    expect(new Set(ids(watcherOne))).toEqual(new Set(ids(watcherTwo)));
    expect(new Set(ids(watcherTwo)).size).toBe(ids(watcherTwo).length);
  });

  it("pushes quality-svc's measured seconds to exactly who may see them, never to another tenant", async () => {
    const admin = await connect(one, { token: await token('tenant-admin', A, 'admin-a') });
    const agent1 = await connect(two, { token: await token('agent', A, 'agent-1') });
    const agent2 = await connect(one, { token: await token('agent', A, 'agent-2') });
    const manager1 = await connect(two, { token: await token('ou-manager', A, 'manager-1') });
    const manager2 = await connect(one, { token: await token('ou-manager', A, 'manager-2') });
    const system = await connect(two, { token: await token('system-admin', 'system', 'root'), tenants: [A] });
    const otherTenant = await connect(one, { token: await token('tenant-admin', B, 'admin-b') });
    const otherAgent1 = await connect(two, { token: await token('agent', B, 'agent-1') });
    // s-3's seconds do not name the agent: the edge knows the call is agent-1's.
    await publishUpstream(prefix, [u.placed(A, 's-3', 'agent-1')]);
    await eventually(() => expect(callIds(agent1)).toContain('call.placed:s-3'));
    const second = (callId: string, agentId: string | null, level: 'good' | 'poor' = 'good') => ({
      callId,
      agentId,
      second: new Date().toISOString(),
      level,
      metrics: {
        lossRate: level === 'good' ? 0 : 0.06,
        jitterMs: 4,
        oneWayDelayMs: level === 'good' ? 30 : 210,
        mos: level === 'good' ? 4.4 : 2.9,
      },
      flags: [],
    });
    const ofA = { tenantId: A, seconds: [second('s-1', 'agent-1'), second('s-2', 'agent-2', 'poor'), second('s-3', null)] };
    const ofB = { tenantId: B, seconds: [second('s-9', 'agent-1', 'poor')] };
    await publishSeconds(prefix, [ofA, ofB]);

    const calls = (client: LiveClient) => client.secondsFrames().map((f) => f.seconds.map((s) => `${f.tenantId}/${s.callId}`));
    const expected: [LiveClient, string[][]][] = [
      [admin, [['A/s-1', 'A/s-2', 'A/s-3']]],
      [system, [['A/s-1', 'A/s-2', 'A/s-3']]],
      [agent1, [['A/s-1', 'A/s-3']]],
      [manager1, [['A/s-1', 'A/s-3']]],
      [agent2, [['A/s-2']]],
      [manager2, [['A/s-2']]],
      [otherTenant, [['B/s-9']]],
      [otherAgent1, [['B/s-9']]],
    ];
    for (const [client, frames] of expected) {
      const want = frames.map((f) => f.map((c) => c.replace(/^A\//, `${A}/`).replace(/^B\//, `${B}/`)));
      await eventually(() => expect(calls(client)).toEqual(want));
    }
    // What a second says arrives untouched.
    expect(admin.secondsFrames()[0]).toEqual(ofA);
    expect(otherTenant.secondsFrames()).toEqual([ofB]);
  });

  it('starts a browser afresh (reset) when what it missed is no longer kept', async () => {
    const small = await startTestEdge(prefix, 'edge-small', {}, (config) => (config.live.windowMaxEvents = 5));
    try {
      const client = await connect(small, {
        token: await token('agent', A, 'agent-2'),
        position: { 'call:0': -1, 'call:1': -1, 'call:2': -1 },
      });
      expect(client.ready).toMatchObject({ type: 'ready', reset: true });
      await publishUpstream(prefix, [u.placed(A, 'after-reset', 'agent-2')]);
      await eventually(() => expect(callIds(client)).toEqual(['call.placed:after-reset']));
    } finally {
      await small.app.close();
    }
  });

  it('starts from the directory checkpoint in Redis and reads only the tenant and agent events after it', async () => {
    // An instance saves its directory when it stops.
    const saver = await startTestEdge(prefix, 'edge-saver');
    await saver.app.close();
    const redis = new Redis(saver.config.redisUrl);
    const key = `${prefix}edge-svc:directory`;
    try {
      const checkpoint = JSON.parse((await redis.get(key))!) as DirectoryCheckpoint;
      expect(checkpoint.agentOrgUnit).toContainEqual([`${A}/agent-1`, 'ou-1']);
      expect(Object.keys(checkpoint.positions).sort()).toEqual(['agent:0', 'agent:1', 'agent:2', 'tenant:0', 'tenant:1', 'tenant:2']);
      // What the next instance knows comes from the checkpoint: agent-x was never created on Kafka, only here.
      checkpoint.agentOrgUnit.push([`${A}/agent-x`, 'ou-1']);
      await redis.set(key, JSON.stringify(checkpoint));
      await publishUpstream(prefix, [u.agent(A, 'agent-4', 'ou-1')]); // after the checkpoint

      // A window of 1 ms: the tenant and agent topics are read from the checkpoint on, not from their beginning.
      const next = await startTestEdge(prefix, 'edge-restarted', {}, (config) => (config.live.windowMs = 1));
      try {
        const manager1 = await connect(next, { token: await token('ou-manager', A, 'manager-1') });
        await publishUpstream(prefix, [u.placed(A, 'x-1', 'agent-x'), u.placed(A, 'x-4', 'agent-4'), u.placed(A, 'x-2', 'agent-2')]);
        await eventually(() => expect(callIds(manager1).sort()).toEqual(['call.placed:x-1', 'call.placed:x-4']));
        const health = await fetch(`${next.url}/health`).then((r) => r.json() as Promise<{ live: { directory: unknown } }>);
        expect(health.live.directory).toEqual({ from: 'checkpoint', eventsRead: 1 });
      } finally {
        await next.app.close();
      }
    } finally {
      redis.disconnect();
    }
  });

  it('refuses a browser without a valid first message, with the reason', async () => {
    const none = await connect(one, { token: 'not-a-jwt' });
    expect(none.frames).toEqual([expect.objectContaining({ type: 'error', code: 'AUTH_TOKEN_INVALID' })]);
    expect(none.closed?.code).toBe(4001);
    const gateway = await connect(one, { token: await token('gateway', A, 'gw') });
    expect(gateway.closed?.code).toBe(4003);
    const adminWithoutTenants = await connect(two, { token: await token('system-admin', 'system', 'root') });
    expect(adminWithoutTenants.closed?.code).toBe(4003);
    const tenantChooser = await connect(two, { token: await token('tenant-admin', A, 'admin-a'), tenants: [B] });
    expect(tenantChooser.closed?.code).toBe(4003);
    const badPosition = await connect(two, { token: await token('tenant-admin', A, 'admin-a'), position: { 'secret:0': 1 } });
    expect(badPosition.frames[0]).toMatchObject({ type: 'error', code: 'VALIDATION_FAILED' });
    expect(badPosition.closed?.code).toBe(4000);
  });

  describe('with short limits', () => {
    let quick: RunningEdge;
    beforeAll(async () => {
      quick = await startTestEdge(prefix, 'edge-quick', { LIVE_AUTH_TIMEOUT_SECONDS: '1', JWT_CLOCK_TOLERANCE_SECONDS: '0' });
    });
    afterAll(() => quick?.app.close());

    it('closes a connection that does not authenticate in time (a token in the URL is not read)', async () => {
      const client = new LiveClient(`${quick.liveUrl}?token=${await token('tenant-admin', A, 'admin-a')}`);
      clients.push(client);
      await eventually(() => expect(client.closed?.code).toBe(4001), 5_000);
      expect(client.frames).toEqual([expect.objectContaining({ type: 'error', code: 'AUTH_TOKEN_MISSING' })]);
    });

    it('closes a connection when its token expires, saying so', async () => {
      const client = await connect(quick, { token: await token('agent', A, 'agent-1', 3) });
      expect(client.ready).toMatchObject({ type: 'ready' });
      // Live until then: the agent's own events arrive.
      await publishUpstream(prefix, [u.placed(A, 'before-expiry', 'agent-1')]);
      await eventually(() => expect(callIds(client)).toContain('call.placed:before-expiry'));
      await eventually(() => expect(client.closed).toEqual({ code: 4001, reason: 'AUTH_TOKEN_EXPIRED' }), 10_000);
      expect(client.frames.at(-1)).toMatchObject({ type: 'error', code: 'AUTH_TOKEN_EXPIRED' });
      // A token already expired is refused with the same code.
      const late = await connect(quick, { token: await token('agent', A, 'agent-1', -5) });
      expect(late.closed?.code).toBe(4001);
      expect(late.frames).toEqual([expect.objectContaining({ type: 'error', code: 'AUTH_TOKEN_EXPIRED' })]);
    });
  });
});
