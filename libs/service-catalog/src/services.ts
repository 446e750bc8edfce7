/** A service's name, and the port and database it uses unless PORT / DATABASE_URL say otherwise. */
export interface ServiceEntry {
  serviceName: string;
  port: number;
  /** null: the service keeps no data of its own (edge-svc). */
  database: string | null;
}

/**
 * The one table of the services: the apps' defaults, `npm start`, the tests'
 * and the benchmarks' launcher and the scenario read it. (docker-compose.yml
 * repeats the ports and databases: keep it in step.)
 */
export const SERVICES = {
  'tenant-svc': { serviceName: 'tenant-svc', port: 3001, database: 'softphone_tenant' },
  'agent-svc': { serviceName: 'agent-svc', port: 3002, database: 'softphone_agent' },
  'call-svc': { serviceName: 'call-svc', port: 3003, database: 'softphone_call' },
  'quality-svc': { serviceName: 'quality-svc', port: 3004, database: 'softphone_quality' },
  'edge-svc': { serviceName: 'edge-svc', port: 3000, database: null },
} as const satisfies Record<string, ServiceEntry>;

export type ServiceName = keyof typeof SERVICES;

/** Every service, in start order (the edge last: it proxies to the others). */
export const SERVICE_NAMES = Object.keys(SERVICES) as ServiceName[];

/** The four event-sourced services, each on its own database. */
export type DomainServiceName = Exclude<ServiceName, 'edge-svc'>;
export const DOMAIN_SERVICES = SERVICE_NAMES.filter((name): name is DomainServiceName => name !== 'edge-svc');
