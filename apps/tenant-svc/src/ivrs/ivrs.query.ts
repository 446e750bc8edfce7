import { Injectable } from '@nestjs/common';
import type { SkillQueueMediaType } from '@softphone/contracts';
import { PostgresEventStore } from '@softphone/event-store';
import { NotFoundError } from '@softphone/errors';
import { assertTenantExists } from '../tenants/tenants.query.js';

export interface IvrView {
  ivrId: string;
  tenantId: string;
  name: string;
  accessCode: string;
  /** Length of the announcement: the transferred call is answered 2 s after it ends. */
  announcementSeconds: number;
  skillQueue: { skillQueueId: string; name: string; mediaType: SkillQueueMediaType };
  createdAt: string;
}

interface Row {
  tenant_id: string;
  ivr_id: string;
  name: string;
  access_code: string;
  announcement_seconds: number;
  skill_queue_id: string;
  skill_queue_name: string;
  skill_queue_media_type: SkillQueueMediaType;
  created_at: Date;
}

const SELECT = `SELECT ivr.*, sq.name AS skill_queue_name, sq.media_type AS skill_queue_media_type FROM ivrs_view ivr
  JOIN skill_queues_view sq ON sq.tenant_id = ivr.tenant_id AND sq.skill_queue_id = ivr.skill_queue_id`;

const toView = (r: Row): IvrView => ({
  ivrId: r.ivr_id,
  tenantId: r.tenant_id,
  name: r.name,
  accessCode: r.access_code,
  announcementSeconds: r.announcement_seconds,
  skillQueue: { skillQueueId: r.skill_queue_id, name: r.skill_queue_name, mediaType: r.skill_queue_media_type },
  createdAt: r.created_at.toISOString(),
});

@Injectable()
export class IvrsQuery {
  constructor(private readonly store: PostgresEventStore) {}

  async get(tenantId: string, ivrId: string): Promise<IvrView> {
    const [row] = await this.store.sql.rows<Row>(`${SELECT} WHERE ivr.tenant_id = $1 AND ivr.ivr_id = $2`, [tenantId, ivrId]);
    if (!row) throw new NotFoundError('IVR', ivrId);
    return toView(row);
  }

  async list(tenantId: string): Promise<IvrView[]> {
    await assertTenantExists(this.store.sql, tenantId);
    const rows = await this.store.sql.rows<Row>(`${SELECT} WHERE ivr.tenant_id = $1 ORDER BY ivr.created_at, ivr.ivr_id`, [tenantId]);
    return rows.map(toView);
  }
}
