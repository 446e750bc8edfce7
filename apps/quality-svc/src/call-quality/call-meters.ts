import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { QualityLevel, QualitySampleBatch } from '@softphone/contracts';
import type { UnitOfWork } from '@softphone/event-store';
import { metadataFor } from '@softphone/platform';
import { callKey } from '../call-key.js';
import { meter, toReading, type MeteredSecond, type SampleOutcome } from '../metering/call-meter.js';
import { severity } from '../metering/table1.js';
import type { Reading } from '../metering/table2.js';
import { callQualityDecider, callQualityStream, type CallQualityCommand, type CallQualityState } from './call-quality.decider.js';
import { summarizeCall } from './call-summary.js';
import { loadMeters, needsSaving, saveMeters, type Meter } from './meter-table.js';

export interface CallIngested {
  tenantId: string;
  callId: string;
  /** How many samples had each outcome (see SampleOutcome). */
  samples: Partial<Record<SampleOutcome, number>>;
  /** The call's published level after the batch. */
  level: QualityLevel | null;
}

type LevelCommand = Extract<CallQualityCommand, { type: 'ChangeLevel' }>;

const samplesCounter = new Counter({ name: 'quality_samples_total', help: 'Samples ingested by outcome', labelNames: ['outcome'] });

const INSERT_SECONDS = `INSERT INTO quality_seconds (meter_id, at, packets_received_total, packets_sent_total, packets_received, packets_sent,
                             loss_rate, jitter_ms, one_way_delay_ms, mos, level)
  SELECT x.i, timestamptz 'epoch' + x.a * interval '1 millisecond', x.tr, x.ts, x.r, x.s, x.l, x.j, x.d, x.m, x.v
  FROM json_to_recordset($1::json) AS x(i bigint, a bigint, tr bigint, ts bigint, r int, s int, l float8, j float8, d float8, m float8, v int2)`;

/**
 * The meters of the calls: samples in; measured seconds, published level
 * changes and manager notices out. A few statements per unit of work whatever
 * the number of calls and samples in it; the meter row of a call is the
 * snapshot of its call quality stream, so a level change is one append.
 */
@Injectable()
export class CallMeters {
  /** Applies batches of samples (a call may come in several) in the caller's unit of work. */
  async ingest(uow: UnitOfWork, batches: readonly QualitySampleBatch[], now: Date): Promise<CallIngested[]> {
    const readings = new Map<string, { tenantId: string; callId: string; readings: Reading[] }>();
    for (const { tenantId, calls } of batches) {
      for (const { callId, samples } of calls) {
        const key = callKey(tenantId, callId);
        let entry = readings.get(key);
        if (!entry) readings.set(key, (entry = { tenantId, callId, readings: [] }));
        for (const sample of samples) entry.readings.push(toReading(sample));
      }
    }
    const results: CallIngested[] = [];
    const seconds: Array<{ meter: Meter; second: MeteredSecond }> = [];
    const changes: Array<{ meter: Meter; before: CallQualityState; commands: LevelCommand[] }> = [];
    const touched: Array<{ before: Meter; after: Meter; lastSecondAtMs: number | null }> = [];
    for (const current of await loadMeters(uow.sql, [...readings.values()])) {
      const metered = meter(current.state, readings.get(callKey(current.tenantId, current.callId))!.readings, now.getTime());
      const next = { ...current, state: metered.state };
      results.push({ tenantId: next.tenantId, callId: next.callId, samples: metered.outcomes, level: metered.state.hysteresis.level });
      if (metered.state === current.state) continue;
      touched.push({ before: current, after: next, lastSecondAtMs: metered.seconds.at(-1)?.atMs ?? null });
      for (const second of metered.seconds) seconds.push({ meter: next, second });
      if (metered.changes.length === 0) continue;
      const commands = metered.changes.map(({ to, second }): LevelCommand => ({
        type: 'ChangeLevel',
        callId: next.callId,
        agentId: null,
        to,
        second: new Date(second.atMs).toISOString(),
        metrics: { lossRate: second.lossRate, jitterMs: second.jitterMs, oneWayDelayMs: second.oneWayDelayMs, mos: second.mos },
      }));
      changes.push({ meter: next, before: streamState(current), commands });
    }
    await this.publishChanges(uow, changes);
    await saveMeters(
      uow.sql,
      touched.filter((t) => needsSaving(t.before, t.after, t.lastSecondAtMs)).map((t) => t.after),
    );
    await this.insertSeconds(uow, seconds);
    uow.afterCommit(() => countOutcomes(results));
    return results;
  }

  /** The call ended: its summary is published and its later samples will be discarded. */
  async close(uow: UnitOfWork, tenantId: string, callId: string, agentId: string | null): Promise<void> {
    const [current] = await loadMeters(uow.sql, [{ tenantId, callId }]);
    const summary = await summarizeCall(uow.sql, tenantId, callId);
    await this.record(uow, current, streamState(current), [{ type: 'Summarize', callId, agentId, summary }]);
    await saveMeters(uow.sql, [{ ...current, state: { ...current.state, closed: true, pendingNotice: null } }]);
  }

  /** Decides commands on a call's quality stream from the state its meter holds, and appends what they yield. */
  private async record(uow: UnitOfWork, m: Meter, state: CallQualityState, commands: readonly CallQualityCommand[]): Promise<void> {
    for (const command of commands) {
      const events = callQualityDecider.decide(command, state);
      await uow.append(callQualityStream(m.tenantId, m.callId), m.version, events, metadataFor(m.tenantId));
      state = events.reduce(callQualityDecider.evolve, state);
      m.version += events.length;
    }
  }

  /** Publishes each call's level changes, with the call's agent when known. */
  private async publishChanges(
    uow: UnitOfWork,
    changes: ReadonlyArray<{ meter: Meter; before: CallQualityState; commands: LevelCommand[] }>,
  ): Promise<void> {
    if (changes.length === 0) return;
    const agents = await uow.sql.rows<{ tenant_id: string; call_id: string; agent_id: string | null }>(
      `SELECT c.tenant_id, c.call_id, c.agent_id FROM calls c
       JOIN json_to_recordset($1::json) AS k(t text, c text) ON c.tenant_id = k.t AND c.call_id = k.c`,
      [JSON.stringify(changes.map(({ meter: m }) => ({ t: m.tenantId, c: m.callId })))],
    );
    const agentOf = new Map(agents.map((a) => [callKey(a.tenant_id, a.call_id), a.agent_id]));
    for (const { meter: m, before, commands } of changes) {
      const agentId = agentOf.get(callKey(m.tenantId, m.callId)) ?? null;
      await this.record(
        uow,
        m,
        before,
        commands.map((c) => ({ ...c, agentId })),
      );
    }
  }

  private async insertSeconds(uow: UnitOfWork, rows: ReadonlyArray<{ meter: Meter; second: MeteredSecond }>): Promise<void> {
    if (rows.length === 0) return;
    const json = rows.map(({ meter: m, second: s }) => ({
      i: m.meterId,
      a: s.atMs,
      tr: s.counters.packetsReceived,
      ts: s.counters.packetsSent,
      r: s.packetsReceived,
      s: s.packetsSent,
      l: s.lossRate,
      j: s.jitterMs,
      d: s.oneWayDelayMs,
      m: s.mos,
      v: s.level === null ? null : severity(s.level),
    }));
    await uow.sql.prepared('quality_insert_seconds', INSERT_SECONDS, [JSON.stringify(json)]);
  }
}

/** The call quality stream's state, as the meter holds it. */
const streamState = (m: Meter): CallQualityState => ({ level: m.state.hysteresis.level, summarized: m.state.closed });

function countOutcomes(results: readonly CallIngested[]): void {
  for (const { samples } of results) {
    for (const [outcome, n] of Object.entries(samples)) samplesCounter.inc({ outcome }, n);
  }
}
