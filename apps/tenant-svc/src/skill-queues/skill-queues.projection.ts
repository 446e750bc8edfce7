import { Injectable } from '@nestjs/common';
import type { Envelope } from '@softphone/contracts';
import type { InlineProjection, RecordedEvent, Sql } from '@softphone/event-store';
import type { SkillQueueEvent } from './skill-queue.decider.js';

/** skill_queues_view: one row per skill queue. */
@Injectable()
export class SkillQueuesProjection implements InlineProjection {
  readonly name = 'skill_queues_view';

  handles(type: string): boolean {
    return type === 'tenant.skill-queue-created';
  }

  async apply(sql: Sql, recorded: RecordedEvent): Promise<void> {
    const event = recorded as Envelope<SkillQueueEvent>;
    const { skillQueueId, name, mediaType, accessCode } = event.data;
    await sql.execute(
      `INSERT INTO skill_queues_view (tenant_id, skill_queue_id, name, media_type, access_code, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
      [event.tenantId, skillQueueId, name, mediaType, accessCode, event.occurredAt],
    );
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('DELETE FROM skill_queues_view');
  }
}
