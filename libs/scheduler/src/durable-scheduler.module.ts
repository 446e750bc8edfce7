import { Injectable, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { PostgresEventStore } from '@softphone/event-store';
import { DurableScheduler } from './durable-scheduler.js';

/** Runs a service's durable jobs from its start to its shutdown. */
@Injectable()
class SchedulerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(private readonly scheduler: DurableScheduler) {}

  onApplicationBootstrap(): void {
    this.scheduler.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
  }
}

@Module({
  providers: [
    { provide: DurableScheduler, inject: [PostgresEventStore], useFactory: (store: PostgresEventStore) => new DurableScheduler(store) },
    SchedulerLifecycle,
  ],
  exports: [DurableScheduler],
})
export class DurableSchedulerModule {}
