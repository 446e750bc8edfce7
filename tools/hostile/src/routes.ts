import type { Role } from '@softphone/auth';
import type { Resources, Services } from './world.js';

/**
 * Every route of the four services and who may call it: the access policy as
 * the product states it (docs/services/*.md), written independently of the
 * code it checks. The suite fails when a route of the OpenAPI documents is
 * missing here.
 */
export interface RouteSpec {
  service: keyof Services;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** With :params named as in Resources. */
  path: string;
  roles: Role[];
  /** A valid body (the route would accept it from an allowed caller). */
  body?: (r: Resources) => unknown;
  query?: string;
  /**
   * How another tenant's caller must be answered:
   * - not-found: the route names a resource of the tenant: 404, whatever the role;
   * - token-tenant: the route acts in the caller's own tenant only (nothing of another tenant to aim at);
   * - samples: a gateway reports for calls of its own tenant: the other tenant's call must not change;
   * - system-admin: only the system admin may call it, and it acts on every tenant.
   */
  crossTenant: 'not-found' | 'token-tenant' | 'samples' | 'system-admin';
  /** An agent acts only as itself (and on its own calls): another agent of the tenant gets 403 or 404. */
  agentOwn?: boolean;
  /** A manager's own messages: another unit's manager gets 404. */
  managerOwn?: boolean;
  /** Bodies with a control character in a name, reason or address: 400. */
  controlCharacters?: Array<(r: Resources) => unknown>;
  /** Out-of-range numbers (body, query or path): 400. */
  outOfRange?: Array<{ body?: (r: Resources) => unknown; query?: string; params?: Partial<Resources> }>;
}

const CRLF = 'Evil\r\nBcc: attacker@example.com';
const ADMINS: Role[] = ['system-admin', 'tenant-admin'];
const gateway = (address: string) => ({ gatewayId: 'gw-9', address });
const samples = (packetsSent = 100, jitterMs = 2) => [
  { at: new Date(Date.now() - 2_000).toISOString(), packetsReceived: 0, packetsSent: 0, jitterMs: 2, rttMs: 20 },
  { at: new Date(Date.now() - 1_000).toISOString(), packetsReceived: 100, packetsSent, jitterMs, rttMs: 20 },
];

export const ROUTES: RouteSpec[] = [
  // tenant-svc
  {
    service: 'tenant',
    method: 'POST',
    path: '/tenants',
    roles: ['system-admin'],
    body: () => ({ name: 'Intruder Inc' }),
    crossTenant: 'system-admin',
    controlCharacters: [() => ({ name: CRLF })],
  },
  { service: 'tenant', method: 'GET', path: '/tenants', roles: ['system-admin'], crossTenant: 'system-admin' },
  { service: 'tenant', method: 'GET', path: '/tenants/:tenantId', roles: ADMINS, crossTenant: 'not-found' },
  {
    service: 'tenant',
    method: 'POST',
    path: '/tenants/:tenantId/suspension',
    roles: ['system-admin'],
    body: () => ({ reason: 'unpaid' }),
    crossTenant: 'system-admin',
    controlCharacters: [() => ({ reason: CRLF })],
  },
  { service: 'tenant', method: 'DELETE', path: '/tenants/:tenantId/suspension', roles: ['system-admin'], crossTenant: 'system-admin' },
  {
    service: 'tenant',
    method: 'PUT',
    path: '/tenants/:tenantId/pool-mode',
    roles: ['system-admin'],
    body: () => ({ poolMode: false }),
    crossTenant: 'system-admin',
  },
  {
    service: 'tenant',
    method: 'POST',
    path: '/tenants/:tenantId/webrtc',
    roles: ['system-admin'],
    body: () => ({ registrationServerType: 'webRTC', gateways: [gateway('wss://gw-9.example')] }),
    crossTenant: 'system-admin',
    controlCharacters: [() => ({ registrationServerType: 'webRTC', gateways: [gateway('wss://gw-9\r\n.example')] })],
    outOfRange: [
      {
        body: () => ({
          registrationServerType: 'webRTC',
          gateways: Array.from({ length: 17 }, (_, i) => ({ gatewayId: `g${i}`, address: `wss://g${i}.example` })),
        }),
      },
    ],
  },
  { service: 'tenant', method: 'DELETE', path: '/tenants/:tenantId/webrtc', roles: ['system-admin'], crossTenant: 'system-admin' },
  {
    service: 'tenant',
    method: 'PUT',
    path: '/tenants/:tenantId/webrtc/gateways',
    roles: ['system-admin'],
    body: () => ({ gateways: [gateway('wss://gw-9.example')] }),
    crossTenant: 'system-admin',
    controlCharacters: [() => ({ gateways: [gateway('wss://gw\u0000-9.example')] })],
  },
  {
    service: 'tenant',
    method: 'PUT',
    path: '/tenants/:tenantId/parameters',
    roles: ADMINS,
    body: () => ({ notifyOuManagersOnPoorNetwork: false, softphoneUnifiedAuthentication: true }),
    crossTenant: 'not-found',
  },
  {
    service: 'tenant',
    method: 'PUT',
    path: '/tenants/:tenantId/call-handling',
    roles: ADMINS,
    body: () => ({ autoAnswerGuardSeconds: 5, ringTimeoutSeconds: 30, wrapUpSeconds: 0 }),
    crossTenant: 'not-found',
    outOfRange: [
      { body: () => ({ autoAnswerGuardSeconds: 0, ringTimeoutSeconds: 30, wrapUpSeconds: 0 }) },
      { body: () => ({ autoAnswerGuardSeconds: 5, ringTimeoutSeconds: 301, wrapUpSeconds: 0 }) },
      { body: () => ({ autoAnswerGuardSeconds: 5, ringTimeoutSeconds: 30, wrapUpSeconds: 3601 }) },
      { body: () => ({ autoAnswerGuardSeconds: 5.5, ringTimeoutSeconds: 30, wrapUpSeconds: -1 }) },
      { body: () => ({ autoAnswerGuardSeconds: 5, ringTimeoutSeconds: 1e308, wrapUpSeconds: 0 }) },
    ],
  },
  {
    service: 'tenant',
    method: 'POST',
    path: '/tenants/:tenantId/org-units',
    roles: ADMINS,
    body: () => ({ name: 'Intruders' }),
    crossTenant: 'not-found',
    controlCharacters: [() => ({ name: CRLF }), () => ({ name: 'Tab\there' })],
  },
  {
    service: 'tenant',
    method: 'PUT',
    path: '/tenants/:tenantId/org-units/:orgUnitId/manager',
    roles: ADMINS,
    body: () => ({ managerId: 'intruder', name: 'Intruder', email: 'intruder@example.com' }),
    crossTenant: 'not-found',
    controlCharacters: [() => ({ managerId: 'intruder', name: CRLF, email: 'intruder@example.com' })],
  },
  { service: 'tenant', method: 'GET', path: '/tenants/:tenantId/org-units', roles: [...ADMINS, 'ou-manager'], crossTenant: 'not-found' },
  {
    service: 'tenant',
    method: 'GET',
    path: '/tenants/:tenantId/org-units/:orgUnitId',
    roles: [...ADMINS, 'ou-manager'],
    crossTenant: 'not-found',
  },
  {
    service: 'tenant',
    method: 'POST',
    path: '/tenants/:tenantId/skill-queues',
    roles: ADMINS,
    body: () => ({ name: 'Stolen', mediaType: 'voice', accessCode: '7777777' }),
    crossTenant: 'not-found',
    controlCharacters: [() => ({ name: CRLF, mediaType: 'voice', accessCode: '7777778' })],
  },
  { service: 'tenant', method: 'GET', path: '/tenants/:tenantId/skill-queues', roles: ADMINS, crossTenant: 'not-found' },
  { service: 'tenant', method: 'GET', path: '/tenants/:tenantId/skill-queues/:skillQueueId', roles: ADMINS, crossTenant: 'not-found' },
  {
    service: 'tenant',
    method: 'POST',
    path: '/tenants/:tenantId/ivrs',
    roles: ADMINS,
    body: (r) => ({ name: 'Stolen IVR', accessCode: '8888888', announcementSeconds: 1, skillQueueId: r.skillQueueId }),
    crossTenant: 'not-found',
    controlCharacters: [(r) => ({ name: CRLF, accessCode: '8888889', announcementSeconds: 1, skillQueueId: r.skillQueueId })],
    outOfRange: [601, -1, 1e308].map((announcementSeconds) => ({
      body: (r: Resources) => ({ name: 'IVR', accessCode: '8888890', announcementSeconds, skillQueueId: r.skillQueueId }),
    })),
  },
  { service: 'tenant', method: 'GET', path: '/tenants/:tenantId/ivrs', roles: ADMINS, crossTenant: 'not-found' },
  { service: 'tenant', method: 'GET', path: '/tenants/:tenantId/ivrs/:ivrId', roles: ADMINS, crossTenant: 'not-found' },
  { service: 'tenant', method: 'GET', path: '/tenants/:tenantId/access-codes/:accessCode', roles: ADMINS, crossTenant: 'not-found' },

  // agent-svc
  {
    service: 'agent',
    method: 'POST',
    path: '/tenants/:tenantId/agents',
    roles: ADMINS,
    body: (r) => ({ name: 'Mallory', orgUnitId: r.orgUnitId, workNumber: '1099', softphoneNumber: '8899999' }),
    crossTenant: 'not-found',
    controlCharacters: [(r) => ({ name: CRLF, orgUnitId: r.orgUnitId, workNumber: '1098', softphoneNumber: '8899998' })],
    outOfRange: [{ body: (r) => ({ name: 'M', orgUnitId: r.orgUnitId, workNumber: '12345678901', softphoneNumber: '8899997' }) }],
  },
  { service: 'agent', method: 'GET', path: '/tenants/:tenantId/agents', roles: [...ADMINS, 'ou-manager'], crossTenant: 'not-found' },
  {
    service: 'agent',
    method: 'GET',
    path: '/agents/:agentId',
    roles: ['tenant-admin', 'ou-manager', 'agent'],
    crossTenant: 'not-found',
    agentOwn: true,
  },
  {
    service: 'agent',
    method: 'PUT',
    path: '/agents/:agentId/skill-queues',
    roles: ['tenant-admin'],
    body: (r) => ({ skillQueueIds: [r.skillQueueId] }),
    crossTenant: 'not-found',
    outOfRange: [{ body: () => ({ skillQueueIds: Array.from({ length: 101 }, (_, i) => `q${i}`) }) }],
  },
  {
    service: 'agent',
    method: 'PUT',
    path: '/agents/:agentId/bound-phone',
    roles: ['tenant-admin'],
    body: () => ({ kind: 'mobile', number: '5551234' }),
    crossTenant: 'not-found',
  },
  { service: 'agent', method: 'DELETE', path: '/agents/:agentId/bound-phone', roles: ['tenant-admin'], crossTenant: 'not-found' },
  {
    service: 'agent',
    method: 'PUT',
    path: '/agents/:agentId/auth-mode',
    roles: ['tenant-admin'],
    body: () => ({ authMode: 'unified' }),
    crossTenant: 'not-found',
  },
  {
    service: 'agent',
    method: 'POST',
    path: '/agents/:agentId/sign-in',
    roles: ['agent'],
    body: () => ({}),
    crossTenant: 'not-found',
    agentOwn: true,
  },
  {
    service: 'agent',
    method: 'POST',
    path: '/agents/:agentId/sign-out',
    roles: ['agent'],
    body: () => ({}),
    crossTenant: 'not-found',
    agentOwn: true,
  },
  {
    service: 'agent',
    method: 'POST',
    path: '/agents/:agentId/registration',
    roles: ['agent'],
    body: () => ({}),
    crossTenant: 'not-found',
    agentOwn: true,
    outOfRange: [{ body: () => ({ phoneId: 3 }) }, { body: () => ({ phoneId: 0 }) }],
  },
  {
    service: 'agent',
    method: 'POST',
    path: '/agents/:agentId/phones/:phoneId/registration-result',
    roles: ['agent', 'gateway'],
    body: () => ({ outcome: 'failed', reason: 'spoofed' }),
    crossTenant: 'not-found',
    agentOwn: true,
    controlCharacters: [() => ({ outcome: 'failed', reason: CRLF })],
    outOfRange: [{ params: { phoneId: '3' }, body: () => ({ outcome: 'registered' }) }],
  },
  { service: 'agent', method: 'GET', path: '/agents/:agentId/credentials', roles: ['agent'], crossTenant: 'not-found', agentOwn: true },
  {
    service: 'agent',
    method: 'POST',
    path: '/agents/:agentId/heartbeat',
    roles: ['agent'],
    body: () => ({}),
    crossTenant: 'not-found',
    agentOwn: true,
  },
  {
    service: 'agent',
    method: 'GET',
    path: '/agents/:agentId/history',
    roles: ['tenant-admin', 'ou-manager', 'agent'],
    crossTenant: 'not-found',
    agentOwn: true,
  },

  // call-svc
  { service: 'call', method: 'POST', path: '/calls', roles: ['agent'], body: () => ({ to: '5550101' }), crossTenant: 'token-tenant' },
  {
    service: 'call',
    method: 'POST',
    path: '/calls/inbound',
    roles: ['gateway'],
    body: (r) => ({ caller: '5550102', dialed: r.accessCode }),
    crossTenant: 'token-tenant',
  },
  {
    service: 'call',
    method: 'GET',
    path: '/calls/:callId',
    roles: ['tenant-admin', 'ou-manager', 'agent', 'gateway'],
    crossTenant: 'not-found',
    agentOwn: true,
  },
  {
    service: 'call',
    method: 'POST',
    path: '/calls/:callId/answer',
    roles: ['agent'],
    body: () => ({}),
    crossTenant: 'not-found',
    agentOwn: true,
  },
  {
    service: 'call',
    method: 'POST',
    path: '/calls/:callId/media-confirmed',
    roles: ['agent'],
    body: () => ({}),
    crossTenant: 'not-found',
    agentOwn: true,
  },
  {
    service: 'call',
    method: 'GET',
    path: '/calls/:callId/history',
    roles: ['tenant-admin', 'ou-manager', 'agent', 'gateway'],
    crossTenant: 'not-found',
    agentOwn: true,
  },
  {
    service: 'call',
    method: 'GET',
    path: '/agents/:agentId/line',
    roles: ['tenant-admin', 'ou-manager', 'agent'],
    crossTenant: 'not-found',
    agentOwn: true,
  },
  {
    service: 'call',
    method: 'POST',
    path: '/agents/:agentId/line/availability',
    roles: ['tenant-admin', 'agent'],
    body: () => ({}),
    crossTenant: 'not-found',
    agentOwn: true,
  },
  {
    service: 'call',
    method: 'POST',
    path: '/calls/:callId/customer-answered',
    roles: ['gateway'],
    body: () => ({}),
    crossTenant: 'not-found',
  },
  {
    service: 'call',
    method: 'POST',
    path: '/calls/:callId/media',
    roles: ['agent'],
    body: () => ({ change: 'muted' }),
    crossTenant: 'not-found',
    agentOwn: true,
  },
  {
    service: 'call',
    method: 'POST',
    path: '/calls/:callId/hang-up',
    roles: ['agent'],
    body: () => ({}),
    crossTenant: 'not-found',
    agentOwn: true,
  },
  {
    service: 'call',
    method: 'POST',
    path: '/calls/:callId/customer-hung-up',
    roles: ['gateway'],
    body: () => ({}),
    crossTenant: 'not-found',
  },
  {
    service: 'call',
    method: 'GET',
    path: '/tenants/:tenantId/calls',
    roles: [...ADMINS, 'ou-manager'],
    crossTenant: 'not-found',
    outOfRange: [{ query: 'limit=0' }, { query: 'limit=501' }, { query: 'limit=-5' }],
  },

  // quality-svc
  {
    service: 'quality',
    method: 'POST',
    path: '/calls/:callId/quality/samples',
    roles: ['gateway', 'agent'],
    body: () => ({ samples: samples() }),
    crossTenant: 'samples',
    agentOwn: true,
    outOfRange: [
      { body: () => ({ samples: samples(-1) }) },
      { body: () => ({ samples: samples(100, -5) }) },
      { body: () => ({ samples: samples(2 ** 53) }) },
      { body: () => ({ samples: samples(100, 1e308) }) },
      { body: () => ({ reports: [{ stats: [{ type: 'inbound-rtp', kind: 'audio', timestamp: Date.now(), jitter: 61 }] }] }) },
    ],
  },
  {
    service: 'quality',
    method: 'POST',
    path: '/quality/samples',
    roles: ['gateway'],
    body: (r) => ({ calls: [{ callId: r.callId, samples: samples() }] }),
    crossTenant: 'samples',
    outOfRange: [{ body: (r) => ({ calls: [{ callId: r.callId, samples: samples(-1) }] }) }],
  },
  {
    service: 'quality',
    method: 'GET',
    path: '/calls/:callId/quality',
    roles: ['tenant-admin', 'ou-manager', 'agent'],
    crossTenant: 'not-found',
    agentOwn: true,
  },
  {
    service: 'quality',
    method: 'GET',
    path: '/calls/:callId/quality/history',
    roles: ['tenant-admin', 'ou-manager', 'agent'],
    crossTenant: 'not-found',
    agentOwn: true,
    outOfRange: [{ query: 'limit=0' }, { query: 'limit=10001' }],
  },
  {
    service: 'quality',
    method: 'GET',
    path: '/tenants/:tenantId/quality/dashboard',
    roles: [...ADMINS, 'ou-manager'],
    crossTenant: 'not-found',
    outOfRange: [{ query: 'top=0' }, { query: 'top=101' }],
  },
  {
    service: 'quality',
    method: 'GET',
    path: '/inbox/messages',
    roles: ['ou-manager'],
    crossTenant: 'token-tenant',
    outOfRange: [{ query: 'limit=0' }, { query: 'limit=501' }],
  },
  {
    service: 'quality',
    method: 'GET',
    path: '/inbox/messages/:messageId',
    roles: ['ou-manager'],
    crossTenant: 'not-found',
    managerOwn: true,
  },
  {
    service: 'quality',
    method: 'POST',
    path: '/inbox/messages/:messageId/read',
    roles: ['ou-manager'],
    body: () => ({}),
    crossTenant: 'not-found',
    managerOwn: true,
  },
];

/** The concrete path of a route for a tenant's resources. */
export function pathOf(route: RouteSpec, resources: Resources, overrides: Partial<Resources> = {}, query = route.query): string {
  const values = { ...resources, ...overrides } as Record<string, string>;
  const path = route.path.replace(/:([A-Za-z]+)/g, (_, name: string) => encodeURIComponent(values[name]));
  return query ? `${path}?${query}` : path;
}

/** "GET /tenants/{tenantId}" as OpenAPI names it. */
export const openApiKey = (route: Pick<RouteSpec, 'method' | 'path'>) => `${route.method} ${route.path.replace(/:([A-Za-z]+)/g, '{$1}')}`;
