import { Injectable, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { PostgresEventStore } from '@softphone/event-store';
import { DurableScheduler } from '@softphone/scheduler';

/** Runs the durable jobs (mails, notice retries) from the start of the service to its shutdown. */
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
