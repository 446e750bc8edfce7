import { Module } from '@nestjs/common';
import { IvrsModule } from '../ivrs/ivrs.module.js';
import { SkillQueuesModule } from '../skill-queues/skill-queues.module.js';
import { AccessCodesController } from './access-codes.controller.js';
import { AccessCodesQuery } from './access-codes.query.js';

@Module({ imports: [SkillQueuesModule, IvrsModule], controllers: [AccessCodesController], providers: [AccessCodesQuery] })
export class AccessCodesModule {}
