import { Module } from '@nestjs/common';
import { DashboardController } from './dashboard.controller.js';
import { DashboardQuery } from './dashboard.query.js';

@Module({ controllers: [DashboardController], providers: [DashboardQuery] })
export class DashboardModule {}
