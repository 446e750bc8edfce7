import { Module } from '@nestjs/common';
import { OrgUnitCommands } from './org-unit.commands.js';
import { OrgUnitsController } from './org-units.controller.js';
import { OrgUnitsQuery } from './org-units.query.js';

@Module({ controllers: [OrgUnitsController], providers: [OrgUnitCommands, OrgUnitsQuery] })
export class OrgUnitsModule {}
