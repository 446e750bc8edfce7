import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { RecordedEvent, Sql } from '@softphone/event-store';
import { projectionSpec, recordedEvents, type ProjectionSpec } from './projection-spec.js';

class TenantCounts1700000000000 implements MigrationInterface {
  name = 'TenantCounts1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query('CREATE TABLE tenant_counts (tenant_id text PRIMARY KEY, events int NOT NULL, seen_at timestamptz NOT NULL)');
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE tenant_counts');
  }
}

/** Upserts the last event's time: replayable and idempotent. */
const lastSeen = {
  apply: (sql: Sql, event: RecordedEvent) =>
    sql
      .execute(`INSERT INTO tenant_counts VALUES ($1, 1, $2) ON CONFLICT (tenant_id) DO UPDATE SET seen_at = EXCLUDED.seen_at`, [
        event.tenantId,
        event.occurredAt,
      ])
      .then(() => undefined),
};
/** Counts deliveries: a redelivered message counts twice. */
const counter = {
  apply: (sql: Sql, event: RecordedEvent) =>
    sql
      .execute(`INSERT INTO tenant_counts VALUES ($1, 1, $2) ON CONFLICT (tenant_id) DO UPDATE SET events = tenant_counts.events + 1`, [
        event.tenantId,
        event.occurredAt,
      ])
      .then(() => undefined),
};
/** Stamps the time of the replay, not of the event: a rebuild differs. */
const stampsNow = {
  apply: (sql: Sql, event: RecordedEvent) =>
    sql
      .execute(`INSERT INTO tenant_counts VALUES ($1, 1, clock_timestamp()) ON CONFLICT (tenant_id) DO NOTHING`, [event.tenantId])
      .then(() => undefined),
};

describe('projectionSpec', () => {
  let spec: ProjectionSpec;
  const events = recordedEvents('t1', [
    { type: 'tenant.created', data: { tenantId: 't1', name: 'Acme', poolMode: false } },
    { type: 'tenant.suspended', data: { tenantId: 't1', reason: null } },
  ]);

  beforeAll(async () => {
    spec = await projectionSpec({ migrations: [TenantCounts1700000000000], tables: ['tenant_counts'] });
  });
  afterAll(() => spec?.close());

  it('returns the read model of one replay when replays and redeliveries agree', async () => {
    const model = await spec.expectIdempotent(lastSeen, events);
    expect(model).toEqual({ tenant_counts: [{ tenant_id: 't1', events: 1, seen_at: '2026-01-01T00:00:01+00:00' }] });
  });

  it('fails a projection that counts redelivered messages', async () => {
    await expect(spec.expectRebuildable(counter, events)).resolves.toBeDefined();
    await expect(spec.expectIdempotent(counter, events)).rejects.toThrow(/toEqual/);
  });

  it('fails a projection whose rebuild differs from live operation', async () => {
    await expect(spec.expectRebuildable(stampsNow, events)).rejects.toThrow(/toEqual/);
  });

  it('fails a projection that writes nothing', async () => {
    await expect(spec.expectRebuildable({ apply: async () => undefined }, events)).rejects.toThrow(/toBeGreaterThan/);
  });

  it('builds envelopes that satisfy the contracts, and refuses events that do not', () => {
    expect(events.map((e) => [e.type, e.streamVersion, e.occurredAt])).toEqual([
      ['tenant.created', 1, '2026-01-01T00:00:00.000Z'],
      ['tenant.suspended', 2, '2026-01-01T00:00:01.000Z'],
    ]);
    expect(() => recordedEvents('t1', [{ type: 'tenant.resumed', data: {} } as never])).toThrow();
  });
});
