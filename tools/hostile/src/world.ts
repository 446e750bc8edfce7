import { randomInt, randomUUID } from 'node:crypto';
import type { Principal, Role } from '@softphone/auth';
import type { HttpClient, HttpResult } from '@softphone/service-testing';
import { eventually, testToken } from '@softphone/testing';

/** The four services' REST clients. */
export interface Services {
  tenant: HttpClient;
  agent: HttpClient;
  call: HttpClient;
  quality: HttpClient;
}

/** The ids of one tenant's resources, as a hostile caller would aim at them. */
export interface Resources {
  tenantId: string;
  agentId: string;
  callId: string;
  orgUnitId: string;
  skillQueueId: string;
  ivrId: string;
  accessCode: string;
  messageId: string;
  phoneId: string;
}

/** A tenant set up through the real APIs, with the people who may act in it. */
export interface TenantWorld {
  resources: Resources;
  /** The second agent (another agent of the tenant) and the second unit's manager (another OU's manager). */
  otherAgentId: string;
  otherManagerId: string;
  managerId: string;
  /** The principal of each role in this tenant (an agent: the first agent; an OU manager: the first unit's). */
  principal(role: Role): Principal;
  token(role: Role): Promise<string>;
}

const expectStatus = (result: HttpResult, status: number, what: string) => {
  if (result.status !== status) throw new Error(`${what}: expected ${status}, got ${result.status} ${JSON.stringify(result.body)}`);
  return result.body;
};

/** Cumulative counters of a call's last 3 seconds on a poor line (3 % loss, Table 1's Poor). */
function poorSamples() {
  const start = Date.now() - 6_000;
  return [0, 1, 2, 3, 4].map((s) => ({
    at: new Date(start + s * 1000).toISOString(),
    packetsReceived: s * 97,
    packetsSent: s * 100,
    jitterMs: 30,
    rttMs: 300,
  }));
}

/**
 * A tenant with WebRTC, internal messages on, two org units each with its
 * manager, a voice queue and an IVR, two agents (the first signed in with its
 * phone registered and a call placed), poor quality on that call and the first
 * manager's internal message about it: every kind of resource a route names.
 */
export async function tenantWorld(services: Services, label: string): Promise<TenantWorld> {
  const sysadmin = await testToken({ subject: 'root', role: 'system-admin', tenantId: 'system' });
  const suffix = randomUUID().slice(0, 8);
  const tenant = expectStatus(await services.tenant.post('/tenants', { name: `Hostile ${label}` }, sysadmin), 201, 'create tenant');
  const tenantId: string = tenant.tenantId;
  const managerId = `mgr-${label}-1-${suffix}`;
  const otherManagerId = `mgr-${label}-2-${suffix}`;
  const ids: Partial<Record<Role, string>> = {
    'system-admin': 'root',
    'tenant-admin': `admin-${label}`,
    gateway: `gateway-${label}`,
    'ou-manager': managerId,
  };
  const principal = (role: Role): Principal => ({ role, subject: ids[role]!, tenantId: role === 'system-admin' ? 'system' : tenantId });
  const token = (role: Role) => testToken(principal(role));
  const admin = await token('tenant-admin');

  expectStatus(
    await services.tenant.post(
      `/tenants/${tenantId}/webrtc`,
      { registrationServerType: 'webRTC', gateways: [{ gatewayId: 'gw-1', address: `wss://gw-${label}.example:8443` }] },
      sysadmin,
    ),
    200,
    'enable WebRTC',
  );
  expectStatus(
    await services.tenant.put(
      `/tenants/${tenantId}/parameters`,
      { notifyOuManagersOnPoorNetwork: true, softphoneUnifiedAuthentication: false },
      admin,
    ),
    200,
    'parameters',
  );
  const unit = async (name: string, manager: string) => {
    const { orgUnitId } = expectStatus(await services.tenant.post(`/tenants/${tenantId}/org-units`, { name }, admin), 201, 'create OU');
    const body = { managerId: manager, name: `Manager ${manager}`, email: `${manager}@example.com` };
    expectStatus(await services.tenant.put(`/tenants/${tenantId}/org-units/${orgUnitId}/manager`, body, admin), 200, 'assign manager');
    return orgUnitId as string;
  };
  const orgUnitId = await unit('Sales', managerId);
  const otherOrgUnitId = await unit('Support', otherManagerId);
  const accessCode = String(randomInt(100_000, 999_999));
  const { skillQueueId } = expectStatus(
    await services.tenant.post(`/tenants/${tenantId}/skill-queues`, { name: 'Voice', mediaType: 'voice', accessCode }, admin),
    201,
    'create queue',
  );
  const { ivrId } = expectStatus(
    await services.tenant.post(
      `/tenants/${tenantId}/ivrs`,
      { name: 'Welcome', accessCode: String(Number(accessCode) + 1), announcementSeconds: 0, skillQueueId },
      admin,
    ),
    201,
    'create IVR',
  );
  const agent = async (name: string, ou: string, workNumber: string) => {
    const body = { name, orgUnitId: ou, workNumber, softphoneNumber: `88${randomInt(1_000_000, 9_999_999)}` };
    const { agentId } = expectStatus(await services.agent.post(`/tenants/${tenantId}/agents`, body, admin), 201, 'create agent');
    await eventually(async () =>
      expectStatus(await services.agent.put(`/agents/${agentId}/skill-queues`, { skillQueueIds: [skillQueueId] }, admin), 200, 'bind'),
    );
    return agentId as string;
  };
  const agentId = await agent('Alice', orgUnitId, '1001');
  const otherAgentId = await agent('Bob', otherOrgUnitId, '1002');
  ids.agent = agentId;
  const agentToken = await token('agent');

  // The first agent signs in, its phone registers, it places a call (call-svc learns of the agent from Kafka).
  const signedIn = expectStatus(await services.agent.post(`/agents/${agentId}/sign-in`, {}, agentToken), 200, 'sign in');
  if (!signedIn.credentials)
    await eventually(async () =>
      expectStatus(await services.agent.post(`/agents/${agentId}/registration`, {}, agentToken), 200, 'register'),
    );
  expectStatus(
    await services.agent.post(`/agents/${agentId}/phones/1/registration-result`, { outcome: 'registered' }, agentToken),
    200,
    'registered',
  );
  const { callId } = await eventually(async () =>
    expectStatus(await services.call.post('/calls', { to: '5550100' }, agentToken), 201, 'place call'),
  );

  // Poor quality on the call: the first unit's manager gets an internal message (once quality-svc knows the call's agent and unit).
  const gateway = await token('gateway');
  expectStatus(await services.quality.post(`/calls/${callId}/quality/samples`, { samples: poorSamples() }, gateway), 202, 'samples');
  const managerToken = await token('ou-manager');
  const messageId: string = await eventually(async () => {
    const inbox = expectStatus(await services.quality.get('/inbox/messages', managerToken), 200, 'inbox') as Array<{ messageId: string }>;
    if (!inbox[0]) throw new Error(`no internal message for ${managerId} yet`);
    return inbox[0].messageId;
  }, 60_000);

  return {
    resources: { tenantId, agentId, callId, orgUnitId, skillQueueId, ivrId, accessCode, messageId, phoneId: '1' },
    otherAgentId,
    otherManagerId,
    managerId,
    principal,
    token,
  };
}
