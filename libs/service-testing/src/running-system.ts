import { createTestDatabase, uniqueTopicPrefix, type TestDatabase } from '@softphone/testing';
import { DOMAIN_SERVICES, type DomainServiceName as ServiceName } from '@softphone/service-catalog';
import { startServiceProcess, type ServiceProcess } from './service-process.js';

export type { ServiceName };

export interface RunningSystemOptions {
  label: string;
  /** PostgreSQL server for the services' databases (default: the shared one). */
  postgresUrl?: string;
  /** Kafka bootstrap servers (default: the shared broker). */
  kafkaBrokers?: string[];
  /** The services to run (default: all four). */
  services?: ServiceName[];
  /** Extra environment of every service process (e.g. rate limits, OTEL_EXPORTER_OTLP_ENDPOINT). */
  env?: Record<string, string>;
}

/**
 * The four services as separate processes (dist/apps/<svc>/src/main.js) over
 * the real servers, with this file's own databases and topic prefix.
 */
export class RunningSystem {
  readonly processes = new Map<string, ServiceProcess>();
  private readonly databases = new Map<ServiceName, TestDatabase>();
  readonly topicPrefix: string;

  private constructor(private readonly options: RunningSystemOptions) {
    this.topicPrefix = uniqueTopicPrefix(options.label);
  }

  static async start(options: RunningSystemOptions): Promise<RunningSystem> {
    const system = new RunningSystem(options);
    try {
      const services = options.services ?? DOMAIN_SERVICES;
      for (const service of services) {
        system.databases.set(service, await createTestDatabase(`${options.label}_${service.replace('-svc', '')}`, options.postgresUrl));
      }
      await Promise.all(services.map((service) => system.startInstance(service)));
    } catch (error) {
      await system.close();
      throw error;
    }
    return system;
  }

  /** Starts (or restarts) one instance of a service; `instance` names a second one, e.g. 'b'; `env` is its own (over the system's). */
  async startInstance(service: ServiceName, instance = 'a', env: Record<string, string> = {}): Promise<ServiceProcess> {
    const process = await startServiceProcess({
      service,
      database: this.database(service),
      topicPrefix: this.topicPrefix,
      instanceId: `${service}-${instance}`,
      env: { ...(this.options.kafkaBrokers ? { KAFKA_BROKERS: this.options.kafkaBrokers.join(',') } : {}), ...this.options.env, ...env },
    });
    this.processes.set(`${service}/${instance}`, process);
    return process;
  }

  /** The URL of each running service's first instance. */
  urls(): Record<ServiceName, string> {
    return Object.fromEntries([...this.databases.keys()].map((service) => [service, this.instance(service).url])) as Record<
      ServiceName,
      string
    >;
  }

  /** The database of a service (e.g. to count its events). */
  database(service: ServiceName): TestDatabase {
    const database = this.databases.get(service);
    if (!database) throw new Error(`${service} is not part of this system`);
    return database;
  }

  instance(service: ServiceName, instance = 'a'): ServiceProcess {
    const process = this.processes.get(`${service}/${instance}`) ?? this.processes.get(`${service}/a`);
    if (!process) throw new Error(`${service} is not running`);
    return process;
  }

  /** Stops one instance: SIGTERM (graceful) or SIGKILL (crash). */
  async stopInstance(service: ServiceName, signal: 'SIGTERM' | 'SIGKILL', instance = 'a'): Promise<void> {
    await this.processes.get(`${service}/${instance}`)?.stop(signal);
    this.processes.delete(`${service}/${instance}`);
  }

  /** The last lines of every instance's output, to explain a failure. */
  output(): string {
    return [...this.processes].map(([name, p]) => `--- ${name}\n${p.output().slice(-1500)}`).join('\n');
  }

  async close(): Promise<void> {
    await Promise.all([...this.processes.values()].map((p) => p.stop('SIGTERM')));
    this.processes.clear();
    await Promise.all([...this.databases.values()].map((db) => db.drop().catch(() => undefined)));
  }
}
