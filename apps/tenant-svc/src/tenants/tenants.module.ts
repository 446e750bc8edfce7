import { Module } from '@nestjs/common';
import { TenantCommands } from './tenant.commands.js';
import { TenantsController } from './tenants.controller.js';
import { TenantsQuery } from './tenants.query.js';

@Module({ controllers: [TenantsController], providers: [TenantsQuery, TenantCommands] })
export class TenantsModule {}
