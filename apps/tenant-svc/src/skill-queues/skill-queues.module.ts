import { Module } from '@nestjs/common';
import { SkillQueueCommands } from './skill-queue.commands.js';
import { SkillQueuesController } from './skill-queues.controller.js';
import { SkillQueuesQuery } from './skill-queues.query.js';

@Module({ controllers: [SkillQueuesController], providers: [SkillQueueCommands, SkillQueuesQuery], exports: [SkillQueuesQuery] })
export class SkillQueuesModule {}
