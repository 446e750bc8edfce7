import { Injectable } from '@nestjs/common';
import type { Envelope } from '@softphone/contracts';
import type { InlineProjection, RecordedEvent, Sql } from '@softphone/event-store';
import type { IvrEvent } from './ivr.decider.js';

/** ivrs_view: one row per IVR access code. */
@Injectable()
export class IvrsProjection implements InlineProjection {
  readonly name = 'ivrs_view';

  handles(type: string): boolean {
    return type === 'tenant.ivr-created';
  }

  async apply(sql: Sql, recorded: RecordedEvent): Promise<void> {
    const event = recorded as Envelope<IvrEvent>;
    const { ivrId, name, accessCode, announcementSeconds, skillQueueId } = event.data;
    await sql.execute(
      `INSERT INTO ivrs_view (tenant_id, ivr_id, name, access_code, announcement_seconds, skill_queue_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [event.tenantId, ivrId, name, accessCode, announcementSeconds, skillQueueId, event.occurredAt],
    );
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('DELETE FROM ivrs_view');
  }
}
