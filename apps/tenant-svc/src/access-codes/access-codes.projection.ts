import { Injectable } from '@nestjs/common';
import type { Envelope } from '@softphone/contracts';
import type { InlineProjection, RecordedEvent, Sql } from '@softphone/event-store';
import type { IvrEvent } from '../ivrs/ivr.decider.js';
import type { SkillQueueEvent } from '../skill-queues/skill-queue.decider.js';
import { isUniqueViolation } from '@softphone/event-store';
import { accessCodeTaken, type AccessCodeHolder } from './access-code.policy.js';

/**
 * access_codes: what each access code of a tenant reaches. Its primary key
 * guards the append: the deciders refuse a code they see taken, and of two
 * transactions taking the same free code at once the second fails here with
 * the same ACCESS_CODE_TAKEN.
 */
@Injectable()
export class AccessCodesProjection implements InlineProjection {
  readonly name = 'access_codes';

  handles(type: string): boolean {
    return type === 'tenant.skill-queue-created' || type === 'tenant.ivr-created';
  }

  async apply(sql: Sql, recorded: RecordedEvent): Promise<void> {
    const event = recorded as Envelope<SkillQueueEvent | IvrEvent>;
    const holder: AccessCodeHolder =
      event.type === 'tenant.skill-queue-created'
        ? { kind: 'skill-queue', id: event.data.skillQueueId }
        : { kind: 'ivr', id: event.data.ivrId };
    const { accessCode } = event.data;
    await sql
      .execute('INSERT INTO access_codes (tenant_id, access_code, kind, target_id) VALUES ($1, $2, $3, $4)', [
        event.tenantId,
        accessCode,
        holder.kind,
        holder.id,
      ])
      .catch((error: unknown) => {
        throw isUniqueViolation(error, 'access_codes_pkey') ? accessCodeTaken(accessCode) : error;
      });
  }

  async reset(sql: Sql): Promise<void> {
    await sql.execute('DELETE FROM access_codes');
  }
}
