import { Module } from '@nestjs/common';
import { TenantsController } from './tenants.controller.js';
import { TenantsQuery } from './tenants.query.js';

@Module({ controllers: [TenantsController], providers: [TenantsQuery] })
export class TenantsModule {}
