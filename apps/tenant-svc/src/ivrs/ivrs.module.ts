import { Module } from '@nestjs/common';
import { IvrCommands } from './ivr.commands.js';
import { IvrsController } from './ivrs.controller.js';
import { IvrsQuery } from './ivrs.query.js';

@Module({ controllers: [IvrsController], providers: [IvrCommands, IvrsQuery], exports: [IvrsQuery] })
export class IvrsModule {}
