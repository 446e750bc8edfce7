import { Injectable, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresEventStore } from '@softphone/event-store';
import { DurableScheduler } from './durable-scheduler.js';
import { JobTrace } from './job-trace.js';

/** Connections of the scheduler's own pool: due jobs never wait behind request traffic for one. */
const SCHEDULER_POOL_SIZE = 3;

/** The scheduler's own pool, closed after the scheduler stopped. */
class SchedulerPool {
  constructor(readonly dataSource: DataSource) {}
}

/** Runs a service's durable jobs from its start to its shutdown. */
@Injectable()
class SchedulerLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    private readonly scheduler: DurableScheduler,
    private readonly pool: SchedulerPool,
  ) {}

  onApplicationBootstrap(): void {
    this.scheduler.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduler.stop();
    // An application closed twice (a test's crash then its cleanup) finds its pool already closed.
    if (this.pool.dataSource.isInitialized) await this.pool.dataSource.destroy();
  }
}

@Module({
  providers: [
    {
      provide: SchedulerPool,
      inject: [getDataSourceToken()],
      useFactory: async (main: DataSource) => {
        const options = main.options as DataSource['options'] & { applicationName?: string };
        const extra = { ...((options as { extra?: unknown }).extra as Record<string, unknown> | undefined), max: SCHEDULER_POOL_SIZE };
        const pool = new DataSource({
          ...options,
          migrations: [],
          migrationsRun: false,
          applicationName: `${options.applicationName ?? 'service'}/scheduler`,
          extra,
        } as DataSource['options']);
        return new SchedulerPool(await pool.initialize());
      },
    },
    {
      provide: DurableScheduler,
      inject: [PostgresEventStore, SchedulerPool],
      useFactory: (store: PostgresEventStore, pool: SchedulerPool) =>
        new DurableScheduler(store.overPool(pool.dataSource), { trace: JobTrace.fromEnv(process.env) }),
    },
    SchedulerLifecycle,
  ],
  exports: [DurableScheduler],
})
export class DurableSchedulerModule {}

/**
 * DurableScheduler for a process that only schedules and cancels jobs (in its transactions); other processes of the
 * service (with DurableSchedulerModule) run them.
 */
@Module({
  providers: [
    { provide: DurableScheduler, inject: [PostgresEventStore], useFactory: (store: PostgresEventStore) => new DurableScheduler(store) },
  ],
  exports: [DurableScheduler],
})
export class SchedulingOnlyModule {}
