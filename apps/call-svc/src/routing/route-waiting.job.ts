import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { UnitOfWork } from '@softphone/event-store';
import { DurableScheduler, type Job } from '@softphone/scheduler';
import { ROUTE_WAITING_JOB, type RouteWaiting } from './route-again.js';
import { Router } from './router.js';

/**
 * An inbound call is recorded, then routed in a second transaction. If the
 * process dies between the two, this job (written with the call) routes it
 * once whichever instance is alive; a call already offered or ended is left alone.
 */
@Injectable()
export class RouteWaitingJob implements OnModuleInit {
  constructor(
    private readonly scheduler: DurableScheduler,
    private readonly router: Router,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(ROUTE_WAITING_JOB, (job, uow) => this.route((job as Job<RouteWaiting>).payload, uow));
  }

  private async route({ tenantId, callId, skillQueueId }: RouteWaiting, uow: UnitOfWork): Promise<void> {
    await this.router.routeCall(uow, tenantId, callId, skillQueueId);
  }
}
