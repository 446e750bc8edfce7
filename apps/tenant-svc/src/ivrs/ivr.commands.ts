import { Injectable } from '@nestjs/common';
import { PostgresEventStore } from '@softphone/event-store';
import { metadataFor } from '@softphone/platform';
import { findAccessCodeHolder } from '../access-codes/access-codes.query.js';
import { skillQueueDecider, skillQueueStream } from '../skill-queues/skill-queue.decider.js';
import { assertTenantExists } from '../tenants/tenants.query.js';
import { ivrDecider, ivrStream } from './ivr.decider.js';

export interface NewIvr {
  ivrId: string;
  name: string;
  accessCode: string;
  announcementSeconds: number;
  skillQueueId: string;
}

@Injectable()
export class IvrCommands {
  constructor(private readonly store: PostgresEventStore) {}

  async create(tenantId: string, ivr: NewIvr): Promise<void> {
    await this.store.transaction(async (uow) => {
      await assertTenantExists(uow.sql, tenantId);
      const skillQueue = await uow.load(skillQueueStream(tenantId, ivr.skillQueueId), skillQueueDecider);
      const command = {
        type: 'CreateIvr' as const,
        ...ivr,
        accessCodeHolder: await findAccessCodeHolder(uow.sql, tenantId, ivr.accessCode),
        skillQueueMediaType: skillQueue.state.mediaType,
      };
      await uow.decide(ivrStream(tenantId, ivr.ivrId), ivrDecider, command, metadataFor(tenantId));
    });
  }
}
