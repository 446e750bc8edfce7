import { Injectable } from '@nestjs/common';
import { VOICE_RELATED_MEDIA_TYPES, type SkillQueueMediaType } from '@softphone/contracts';
import { PostgresEventStore } from '@softphone/event-store';
import { NotFoundError } from '@softphone/errors';
import { assertTenantExists } from '../tenants/tenants.query.js';

export interface SkillQueueView {
  skillQueueId: string;
  tenantId: string;
  name: string;
  mediaType: SkillQueueMediaType;
  /** voice, video and both click-to-dial kinds: the queues a WebRTC agent can serve. */
  voiceRelated: boolean;
  accessCode: string;
  createdAt: string;
}

interface Row {
  tenant_id: string;
  skill_queue_id: string;
  name: string;
  media_type: SkillQueueMediaType;
  access_code: string;
  created_at: Date;
}

const toView = (r: Row): SkillQueueView => ({
  skillQueueId: r.skill_queue_id,
  tenantId: r.tenant_id,
  name: r.name,
  mediaType: r.media_type,
  voiceRelated: VOICE_RELATED_MEDIA_TYPES.includes(r.media_type),
  accessCode: r.access_code,
  createdAt: r.created_at.toISOString(),
});

@Injectable()
export class SkillQueuesQuery {
  constructor(private readonly store: PostgresEventStore) {}

  async get(tenantId: string, skillQueueId: string): Promise<SkillQueueView> {
    const [row] = await this.store.sql.rows<Row>('SELECT * FROM skill_queues_view WHERE tenant_id = $1 AND skill_queue_id = $2', [
      tenantId,
      skillQueueId,
    ]);
    if (!row) throw new NotFoundError('skill queue', skillQueueId);
    return toView(row);
  }

  async list(tenantId: string): Promise<SkillQueueView[]> {
    await assertTenantExists(this.store.sql, tenantId);
    const rows = await this.store.sql.rows<Row>(
      'SELECT * FROM skill_queues_view WHERE tenant_id = $1 ORDER BY created_at, skill_queue_id',
      [tenantId],
    );
    return rows.map(toView);
  }
}
