import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import type { QualityLevel, QualitySampleBatch } from '@softphone/contracts';
import type { UnitOfWork } from '@softphone/event-store';
import { metadataFor } from '@softphone/platform';
import { callKey } from '../call-key.js';
import { DEFAULT_ALERT_RULE } from '../metering/alert-rule.js';
import type { CallReading } from '../metering/cadence.js';
import { meter, readingOfSample, secondMetrics, type Metered, type MeteredSecond, type SampleOutcome } from '../metering/call-meter.js';
import { readingOfReport } from '../metering/getstats-reading.js';
import { severity } from '../metering/network-level.js';
import { callQualityDecider, callQualityStream, type CallQualityCommand, type CallQualityState } from './call-quality.decider.js';
import { summarizeCall } from './call-summary.js';
import { loadMeters, saveMeters, type Meter } from './meter-table.js';
import { SecondsPublisher } from './seconds-publisher.js';

export interface CallIngested {
  tenantId: string;
  callId: string;
  /** How many samples (or getStats reports) had each outcome (see SampleOutcome; `no-media`: a report without inbound-rtp). */
  samples: Partial<Record<SampleOutcome | 'no-media', number>>;
  /** The call's published level after the batch. */
  level: QualityLevel | null;
}

type SecondCommand = Extract<CallQualityCommand, { type: 'ChangeLevel' | 'RaiseAlert' | 'ClearAlert' }>;

const FLAG_BITS = { interpolated: 1, 'no-audio': 2, 'one-way': 4 } as const;

const samplesCounter = new Counter({ name: 'quality_samples_total', help: 'Samples ingested by outcome', labelNames: ['outcome'] });

const INSERT_SECONDS = `INSERT INTO quality_seconds (meter_id, at, packets_received, packets_sent, loss_rate, jitter_ms, one_way_delay_ms,
                             mos, level, flags, kind, side, streams)
  SELECT x.i, timestamptz 'epoch' + x.a * interval '1 millisecond', x.r, x.s, x.l, x.j, x.d, x.m, x.v, x.f, x.k, x.sd, x.st
  FROM json_to_recordset($1::json)
    AS x(i bigint, a bigint, r bigint, s bigint, l float8, j float8, d float8, m float8, v int2, f int2, k text, sd text, st jsonb)
  ON CONFLICT (meter_id, at) DO NOTHING`;

/** A call's samples or getStats reports as readings; reports without media are counted apart. */
function readingsOf(call: QualitySampleBatch['calls'][number]): { readings: CallReading[]; noMedia: number } {
  if (call.samples) return { readings: call.samples.map(readingOfSample), noMedia: 0 };
  const readings = (call.reports ?? []).map(readingOfReport);
  return { readings: readings.filter((r): r is CallReading => r !== null), noMedia: readings.filter((r) => r === null).length };
}

/** The commands a batch's seconds give the call quality stream, in time order. */
function commandsOf(callId: string, metered: Metered): SecondCommand[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const commands: Array<{ atMs: number; command: SecondCommand }> = [];
  for (const { to, second } of metered.changes) {
    const command: SecondCommand = {
      type: 'ChangeLevel',
      callId,
      agentId: null,
      to,
      second: iso(second.atMs),
      metrics: secondMetrics(second.worst),
    };
    commands.push({ atMs: second.atMs, command });
  }
  for (const alert of metered.alerts) {
    const { poorSeconds, ofLastSeconds } = DEFAULT_ALERT_RULE;
    const command: SecondCommand =
      alert.type === 'went-poor'
        ? {
            type: 'RaiseAlert',
            callId,
            agentId: null,
            second: iso(alert.atMs),
            rule: { poorSeconds, ofLastSeconds },
            level: alert.level,
            reasons: alert.reasons,
            metrics: alert.metrics,
          }
        : { type: 'ClearAlert', callId, agentId: null, second: iso(alert.atMs) };
    commands.push({ atMs: alert.atMs, command });
  }
  return commands.sort((a, b) => a.atMs - b.atMs).map((c) => c.command);
}

/**
 * The meters of the calls: samples (gateways) and getStats reports (browsers)
 * in; measured seconds, published level changes, alerts and manager notices out. A few statements per unit of work whatever
 * the number of calls and samples in it; the meter row of a call is the
 * snapshot of its call quality stream, so a level change is one append.
 */
@Injectable()
export class CallMeters {
  constructor(private readonly secondsPublisher: SecondsPublisher) {}

  /** Applies batches of samples (a call may come in several) in the caller's unit of work. */
  async ingest(uow: UnitOfWork, batches: readonly QualitySampleBatch[]): Promise<CallIngested[]> {
    const readings = new Map<string, { tenantId: string; callId: string; readings: CallReading[]; noMedia: number }>();
    for (const { tenantId, calls } of batches) {
      for (const call of calls) {
        const key = callKey(tenantId, call.callId);
        let entry = readings.get(key);
        if (!entry) readings.set(key, (entry = { tenantId, callId: call.callId, readings: [], noMedia: 0 }));
        const read = readingsOf(call);
        entry.readings.push(...read.readings);
        entry.noMedia += read.noMedia;
      }
    }
    const results: CallIngested[] = [];
    const measured: Array<{ meter: Meter; seconds: MeteredSecond[] }> = [];
    const changes: Array<{ meter: Meter; before: CallQualityState; commands: SecondCommand[] }> = [];
    const touched: Meter[] = [];
    for (const current of await loadMeters(uow.sql, [...readings.values()])) {
      const entry = readings.get(callKey(current.tenantId, current.callId))!;
      const metered = meter(current.state, entry.readings);
      const next = { ...current, state: metered.state };
      const samples = entry.noMedia > 0 ? { ...metered.outcomes, 'no-media': entry.noMedia } : metered.outcomes;
      results.push({ tenantId: next.tenantId, callId: next.callId, samples, level: metered.state.hysteresis.level });
      if (metered.state === current.state) continue;
      touched.push(next);
      measured.push({ meter: next, seconds: metered.seconds });
      const commands = commandsOf(next.callId, metered);
      if (commands.length > 0) changes.push({ meter: next, before: streamState(current), commands });
    }
    const agentOf = await agentsOf(uow, touched);
    await this.publishChanges(uow, changes, agentOf);
    await saveMeters(uow.sql, touched);
    await this.insertSeconds(uow, measured);
    uow.afterCommit(() => {
      countOutcomes(results);
      this.secondsPublisher.publish(
        measured.map(({ meter: m, seconds }) => ({
          tenantId: m.tenantId,
          callId: m.callId,
          agentId: agentOf.get(callKey(m.tenantId, m.callId)) ?? null,
          seconds,
        })),
      );
    });
    return results;
  }

  /** The call ended: its summary is published and its later samples will be discarded. */
  async close(uow: UnitOfWork, tenantId: string, callId: string, agentId: string | null): Promise<void> {
    const [current] = await loadMeters(uow.sql, [{ tenantId, callId }]);
    const summary = await summarizeCall(uow.sql, tenantId, callId);
    await this.record(uow, current, streamState(current), [{ type: 'Summarize', callId, agentId, summary }]);
    await saveMeters(uow.sql, [{ ...current, state: { ...current.state, closed: true } }]);
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

  /** Publishes each call's level changes and alerts, with the call's agent when known. */
  private async publishChanges(
    uow: UnitOfWork,
    changes: ReadonlyArray<{ meter: Meter; before: CallQualityState; commands: SecondCommand[] }>,
    agentOf: ReadonlyMap<string, string | null>,
  ): Promise<void> {
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

  private async insertSeconds(uow: UnitOfWork, measured: ReadonlyArray<{ meter: Meter; seconds: MeteredSecond[] }>): Promise<void> {
    const rows = measured.flatMap(({ meter, seconds }) => seconds.map((second) => ({ meter, second })));
    if (rows.length === 0) return;
    const json = rows.map(({ meter: m, second: s }) => ({
      i: m.meterId,
      a: s.atMs,
      r: s.worst.packetsReceived,
      s: s.worst.packetsSent,
      l: s.worst.lossRate,
      j: s.worst.jitterMs,
      d: s.worst.oneWayDelayMs,
      m: s.worst.mos,
      v: severity(s.level),
      f: s.flags.reduce((bits, flag) => bits | FLAG_BITS[flag], 0),
      k: s.worst.kind,
      sd: s.worst.side,
      st: s.streams,
    }));
    await uow.sql.prepared('quality_insert_seconds', INSERT_SECONDS, [JSON.stringify(json)]);
  }
}

/** The agents of these calls, as far as call-svc told us (one statement). */
async function agentsOf(uow: UnitOfWork, meters: readonly Meter[]): Promise<Map<string, string | null>> {
  if (meters.length === 0) return new Map();
  const agents = await uow.sql.rows<{ tenant_id: string; call_id: string; agent_id: string | null }>(
    `SELECT c.tenant_id, c.call_id, c.agent_id FROM calls c
     JOIN json_to_recordset($1::json) AS k(t text, c text) ON c.tenant_id = k.t AND c.call_id = k.c`,
    [JSON.stringify(meters.map((m) => ({ t: m.tenantId, c: m.callId })))],
  );
  return new Map(agents.map((a) => [callKey(a.tenant_id, a.call_id), a.agent_id]));
}

/** The call quality stream's state, as the meter holds it. */
const streamState = (m: Meter): CallQualityState => ({
  level: m.state.hysteresis.level,
  poorSince: m.state.alert.poorSinceMs === null ? null : new Date(m.state.alert.poorSinceMs).toISOString(),
  summarized: m.state.closed,
});

function countOutcomes(results: readonly CallIngested[]): void {
  for (const { samples } of results) {
    for (const [outcome, n] of Object.entries(samples)) samplesCounter.inc({ outcome }, n);
  }
}
