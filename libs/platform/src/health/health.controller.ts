import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@softphone/auth';
import { HealthChecks, type HealthReport } from './health-checks.js';

@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(private readonly checks: HealthChecks) {}

  /** 200 when every dependency the service cannot work without answers (503 naming the one that does not). */
  @Public()
  @Get()
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.checks.report();
    response.status(report.status === 'error' ? 503 : 200);
    return report;
  }
}
