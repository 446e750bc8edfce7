import { Injectable } from '@nestjs/common';
import { PostgresEventStore, type Sql } from '@softphone/event-store';
import { NotFoundError } from '@softphone/errors';
import { IvrsQuery, type IvrView } from '../ivrs/ivrs.query.js';
import { SkillQueuesQuery, type SkillQueueView } from '../skill-queues/skill-queues.query.js';
import type { AccessCodeHolder, AccessCodeKind } from './access-code.policy.js';

/** What a dialled access code reaches: a skill queue directly, or an IVR and then its skill queue. */
export interface AccessCodeView {
  accessCode: string;
  kind: AccessCodeKind;
  ivr: IvrView | null;
  skillQueue: SkillQueueView;
}

export async function findAccessCodeHolder(sql: Sql, tenantId: string, accessCode: string): Promise<AccessCodeHolder | null> {
  const [row] = await sql.rows<{ kind: AccessCodeKind; target_id: string }>(
    'SELECT kind, target_id FROM access_codes WHERE tenant_id = $1 AND access_code = $2',
    [tenantId, accessCode],
  );
  return row ? { kind: row.kind, id: row.target_id } : null;
}

@Injectable()
export class AccessCodesQuery {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly skillQueues: SkillQueuesQuery,
    private readonly ivrs: IvrsQuery,
  ) {}

  async resolve(tenantId: string, accessCode: string): Promise<AccessCodeView> {
    const holder = await findAccessCodeHolder(this.store.sql, tenantId, accessCode);
    if (!holder) throw new NotFoundError('access code', accessCode);
    if (holder.kind === 'skill-queue') {
      return { accessCode, kind: holder.kind, ivr: null, skillQueue: await this.skillQueues.get(tenantId, holder.id) };
    }
    const ivr = await this.ivrs.get(tenantId, holder.id);
    return { accessCode, kind: holder.kind, ivr, skillQueue: await this.skillQueues.get(tenantId, ivr.skillQueue.skillQueueId) };
  }
}
