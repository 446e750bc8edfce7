import { Injectable } from '@nestjs/common';
import type { SecondsByLevel } from '@softphone/contracts';
import { NotFoundError } from '@softphone/errors';
import { PostgresEventStore } from '@softphone/event-store';
import { LEVELS, levelOfSeverity } from '../metering/network-level.js';

export interface DashboardFilter {
  tenantId: string;
  from: Date;
  to: Date;
  orgUnitId?: string;
  agentId?: string;
  top: number;
}

export interface Affected {
  /** Seconds at the poor level or worse. */
  poorSeconds: number;
  ratedSeconds: number;
  /** poorSeconds / ratedSeconds. */
  poorShare: number;
  calls: number;
}

export interface Dashboard {
  tenantId: string;
  from: string;
  to: string;
  orgUnitId: string | null;
  agentId: string | null;
  /** Calls with a rated second in the window, by the worst level of their seconds in the window. */
  calls: { total: number; byWorstLevel: SecondsByLevel };
  seconds: { rated: number; unrated: number; byLevel: SecondsByLevel; poorShare: number };
  mostAffectedAgents: Array<Affected & { agentId: string; name: string | null; orgUnitId: string | null }>;
  mostAffectedOrgUnits: Array<Affected & { orgUnitId: string; name: string | null }>;
}

interface CallRow {
  agent_id: string | null;
  agent_name: string | null;
  org_unit_id: string | null;
  org_unit_name: string | null;
  worst: number | null;
  good: number;
  medium: number;
  poor: number;
  bad: number;
  unrated: number;
}

/** The measured seconds of the window, per call, with the call's agent and the agent's org unit. */
const PER_CALL_SQL = `
WITH RECURSIVE scope AS (
  SELECT org_unit_id FROM org_units WHERE tenant_id = $1 AND org_unit_id = $4
  UNION
  SELECT o.org_unit_id FROM org_units o JOIN scope s ON o.parent_org_unit_id = s.org_unit_id WHERE o.tenant_id = $1
), per_call AS (
  SELECT m.call_id, max(q.level) AS worst,
         count(*) FILTER (WHERE q.level = 0)::int AS good, count(*) FILTER (WHERE q.level = 1)::int AS medium,
         count(*) FILTER (WHERE q.level = 2)::int AS poor, count(*) FILTER (WHERE q.level = 3)::int AS bad,
         count(*) FILTER (WHERE q.flags & 2 <> 0)::int AS unrated
  FROM quality_seconds q JOIN call_meters m ON m.meter_id = q.meter_id
  WHERE m.tenant_id = $1 AND q.at >= $2 AND q.at < $3
  GROUP BY m.call_id
)
SELECT c.agent_id, a.name AS agent_name, a.org_unit_id, o.name AS org_unit_name, p.worst, p.good, p.medium, p.poor, p.bad, p.unrated
FROM per_call p
LEFT JOIN calls c ON c.tenant_id = $1 AND c.call_id = p.call_id
LEFT JOIN agents a ON a.tenant_id = $1 AND a.agent_id = c.agent_id
LEFT JOIN org_units o ON o.tenant_id = $1 AND o.org_unit_id = a.org_unit_id
WHERE ($4::text IS NULL OR a.org_unit_id IN (SELECT org_unit_id FROM scope))
  AND ($5::text IS NULL OR c.agent_id = $5)`;

const emptyLevels = (): SecondsByLevel => ({ good: 0, medium: 0, poor: 0, bad: 0 });
const share = (part: number, whole: number) => (whole === 0 ? 0 : Math.round((part / whole) * 10_000) / 10_000);

function rank<T extends { poorSeconds: number; ratedSeconds: number; calls: number }>(groups: Map<string, T>, top: number) {
  return [...groups.values()]
    .filter((g) => g.poorSeconds > 0)
    .map((g) => ({ ...g, poorShare: share(g.poorSeconds, g.ratedSeconds) }))
    .sort((a, b) => b.poorSeconds - a.poorSeconds || b.poorShare - a.poorShare)
    .slice(0, top);
}

@Injectable()
export class DashboardQuery {
  constructor(private readonly store: PostgresEventStore) {}

  async dashboard(filter: DashboardFilter): Promise<Dashboard> {
    await this.assertKnown(filter);
    const rows = await this.store.sql.rows<CallRow>(PER_CALL_SQL, [
      filter.tenantId,
      filter.from.toISOString(),
      filter.to.toISOString(),
      filter.orgUnitId ?? null,
      filter.agentId ?? null,
    ]);
    const byWorstLevel = emptyLevels();
    const byLevel = emptyLevels();
    let unrated = 0;
    const agents = new Map<
      string,
      { agentId: string; name: string | null; orgUnitId: string | null; poorSeconds: number; ratedSeconds: number; calls: number }
    >();
    const orgUnits = new Map<
      string,
      { orgUnitId: string; name: string | null; poorSeconds: number; ratedSeconds: number; calls: number }
    >();
    for (const row of rows) {
      unrated += row.unrated;
      if (row.worst === null) continue;
      byWorstLevel[levelOfSeverity(row.worst)]++;
      for (const level of LEVELS) byLevel[level] += row[level];
      const rated = row.good + row.medium + row.poor + row.bad;
      const poor = row.poor + row.bad;
      const add = <G extends { poorSeconds: number; ratedSeconds: number; calls: number }>(
        groups: Map<string, G>,
        key: string,
        created: () => G,
      ) => {
        const group = groups.get(key) ?? created();
        group.poorSeconds += poor;
        group.ratedSeconds += rated;
        group.calls++;
        groups.set(key, group);
      };
      if (row.agent_id) {
        add(agents, row.agent_id, () => ({
          agentId: row.agent_id!,
          name: row.agent_name,
          orgUnitId: row.org_unit_id,
          poorSeconds: 0,
          ratedSeconds: 0,
          calls: 0,
        }));
      }
      if (row.org_unit_id) {
        add(orgUnits, row.org_unit_id, () => ({
          orgUnitId: row.org_unit_id!,
          name: row.org_unit_name,
          poorSeconds: 0,
          ratedSeconds: 0,
          calls: 0,
        }));
      }
    }
    const rated = byLevel.good + byLevel.medium + byLevel.poor + byLevel.bad;
    return {
      tenantId: filter.tenantId,
      from: filter.from.toISOString(),
      to: filter.to.toISOString(),
      orgUnitId: filter.orgUnitId ?? null,
      agentId: filter.agentId ?? null,
      calls: { total: byWorstLevel.good + byWorstLevel.medium + byWorstLevel.poor + byWorstLevel.bad, byWorstLevel },
      seconds: { rated, unrated, byLevel, poorShare: share(byLevel.poor + byLevel.bad, rated) },
      mostAffectedAgents: rank(agents, filter.top),
      mostAffectedOrgUnits: rank(orgUnits, filter.top),
    };
  }

  private async assertKnown(filter: DashboardFilter): Promise<void> {
    if (filter.orgUnitId) {
      const found = await this.store.sql.rows('SELECT 1 FROM org_units WHERE tenant_id = $1 AND org_unit_id = $2', [
        filter.tenantId,
        filter.orgUnitId,
      ]);
      if (found.length === 0) throw new NotFoundError('org unit', filter.orgUnitId, 'orgUnitId');
    }
    if (filter.agentId) {
      const found = await this.store.sql.rows('SELECT 1 FROM agents WHERE tenant_id = $1 AND agent_id = $2', [
        filter.tenantId,
        filter.agentId,
      ]);
      if (found.length === 0) throw new NotFoundError('agent', filter.agentId, 'agentId');
    }
  }
}
