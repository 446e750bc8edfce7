import { Injectable, Module, type DynamicModule, type OnModuleInit, type Type } from '@nestjs/common';
import { getDataSourceToken, InjectDataSource, TypeOrmModule, type TypeOrmModuleOptions } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import {
  EVENT_STORE_MIGRATIONS,
  openDatabase,
  PostgresEventStore,
  type InlineProjection,
  type MigrationClass,
} from '@softphone/event-store';
import type { Clock } from './clock.js';
import type { ServiceConfig } from './config.js';
import { HealthChecks } from './health/health-checks.js';
import { CLOCK, SERVICE_CONFIG } from './tokens.js';

export interface EventSourcingOptions {
  /**
   * The schemas the service's database needs besides the event store: those of the
   * libraries it uses (MessagingModule.schema, the scheduler's), then its own read models.
   */
  migrations: MigrationClass[];
  /** Read models kept in the same transaction as the events. */
  projections?: Array<Type<InlineProjection>>;
}

/** What the TypeORM options carry to openDatabase. */
interface DatabaseSettings {
  url?: string;
  poolSize?: number;
  applicationName?: string;
}

/** PostgreSQL answers: without it a service can do nothing. */
@Injectable()
class DatabaseHealth implements OnModuleInit {
  constructor(
    private readonly checks: HealthChecks,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.checks.register({ name: 'database', critical: true, timeoutMs: 2_000, probe: () => this.dataSource.query('SELECT 1') });
  }
}

/**
 * The service's PostgreSQL database (created if missing, migrated under a lock)
 * and its event store with the inline projections; /health checks the database.
 */
@Module({})
export class EventSourcingModule {
  static forService(options: EventSourcingOptions): DynamicModule {
    const projections = options.projections ?? [];
    const migrations: MigrationClass[] = [...EVENT_STORE_MIGRATIONS, ...options.migrations];
    return {
      module: EventSourcingModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig): TypeOrmModuleOptions => ({
            type: 'postgres',
            url: config.databaseUrl,
            poolSize: config.databasePoolSize,
            applicationName: `${config.serviceName}/${config.instanceId}`,
            retryAttempts: 20,
            retryDelay: 1_500,
          }),
          dataSourceFactory: (settings) => {
            const { url = '', poolSize, applicationName } = settings as DatabaseSettings;
            return openDatabase({ url, migrations, poolSize, applicationName });
          },
        }),
      ],
      providers: [
        ...projections,
        {
          provide: PostgresEventStore,
          inject: [getDataSourceToken(), CLOCK, ...projections],
          useFactory: (dataSource: DataSource, clock: Clock, ...inline: InlineProjection[]) =>
            new PostgresEventStore(dataSource, { projections: inline, now: () => clock.now() }),
        },
        DatabaseHealth,
      ],
      exports: [PostgresEventStore, TypeOrmModule],
    };
  }
}
