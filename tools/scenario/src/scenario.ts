import { randomInt, randomUUID } from 'node:crypto';
import type { HttpResult } from '@softphone/service-testing';
import { StepRunner, type ProgressListener } from './steps.js';
import type { SystemClient } from './system.js';

export interface ScenarioOutcome {
  tenantId: string;
  agentId: string;
  managerEmail: string;
  outboundCallId: string;
  inboundCallIds: string[];
  /** Offer to auto-answer of the first inbound call, in ms (the guide: about two seconds). */
  autoAnswerDelayMs: number;
}

/** One second of a call's counters as a gateway reports them; `poor`: 3 % loss, jitter 30, RTT 300 ms (Table 1: Poor). */
function samples(start: number, poor: boolean) {
  return [0, 1, 2, 3, 4].map((s) => ({
    at: new Date(start + s * 1000).toISOString(),
    packetsReceived: s * (poor ? 97 : 100),
    packetsSent: s * 100,
    jitterMs: poor ? 30 : 2,
    rttMs: poor ? 300 : 20,
  }));
}

/**
 * The guide's scenario against a running system, step by step: a tenant with
 * WebRTC in pool mode, an OU and its manager, a voice queue, an agent who signs
 * in (both phones register), an outbound voice call switched to video with a
 * shared tab, an inbound call auto-answered after 2 s, and poor quality that
 * gives the manager one internal message (and one mail), however many calls
 * are poor. Throws a ScenarioSurprise at the first result the guide does not predict.
 */
export async function playScenario(system: SystemClient, onProgress?: ProgressListener): Promise<ScenarioOutcome> {
  const run: StepRunner = new StepRunner(onProgress);
  const ok = async (what: string, request: Promise<HttpResult>, status = 200) => {
    const result = await request;
    run.expectStatus(result, status, what);
    return result.body;
  };
  const sysadmin = await system.token({ subject: 'scenario', role: 'system-admin', tenantId: 'system' });
  const suffix = randomUUID().slice(0, 8);
  const managerId = `manager-${suffix}`;
  const managerEmail = `${managerId}@example.com`;
  const accessCode = String(randomInt(100_000, 999_999));
  let tenantId = '';
  let admin = '';
  let gateway = '';
  let orgUnitId = '';
  let skillQueueId = '';
  let agentId = '';
  let agent = '';
  let outboundCallId = '';
  const inboundCallIds: string[] = [];
  let autoAnswerDelayMs = 0;

  await run.step('create a tenant in CTI pool mode', async () => {
    const tenant = await ok('POST /tenants', system.tenant.post('/tenants', { name: `Scenario ${suffix}`, poolMode: true }, sysadmin), 201);
    tenantId = tenant.tenantId;
    admin = await system.token({ subject: 'tenant-admin', role: 'tenant-admin', tenantId });
    gateway = await system.token({ subject: 'gateway-1', role: 'gateway', tenantId });
    return `tenant ${tenantId}, status ${tenant.status}`;
  });

  await run.step('enable WebRTC with two gateways (pool mode needs more than one)', async () => {
    const oneGateway = await system.tenant.post(
      `/tenants/${tenantId}/webrtc`,
      { registrationServerType: 'webRTC', gateways: [{ gatewayId: 'gw-1', address: 'wss://gw-1.example:8443' }] },
      sysadmin,
    );
    run.expect(
      oneGateway.body?.code === 'POOL_MODE_NEEDS_TWO_GATEWAYS',
      `one gateway in pool mode should be refused, got ${JSON.stringify(oneGateway.body)}`,
    );
    const gateways = [
      { gatewayId: 'gw-1', address: 'wss://gw-1.example:8443' },
      { gatewayId: 'gw-2', address: 'wss://gw-2.example:8443' },
    ];
    const tenant = await ok(
      'enable WebRTC',
      system.tenant.post(`/tenants/${tenantId}/webrtc`, { registrationServerType: 'webRTC', gateways }, sysadmin),
    );
    return `registration server type ${tenant.webRtc.registrationServerType}, gateways ${tenant.webRtc.gateways.map((g: { gatewayId: string }) => g.gatewayId).join(', ')}`;
  });

  await run.step('send internal messages when the WebRTC network is abnormal: Yes', async () => {
    const parameters = { notifyOuManagersOnPoorNetwork: true, softphoneUnifiedAuthentication: false };
    const tenant = await ok('set parameters', system.tenant.put(`/tenants/${tenantId}/parameters`, parameters, admin));
    return JSON.stringify(tenant.parameters);
  });

  await run.step('create an org unit with its manager', async () => {
    const unit = await ok('create OU', system.tenant.post(`/tenants/${tenantId}/org-units`, { name: 'Support' }, admin), 201);
    orgUnitId = unit.orgUnitId;
    await ok(
      'assign manager',
      system.tenant.put(
        `/tenants/${tenantId}/org-units/${orgUnitId}/manager`,
        { managerId, name: 'Maria Manager', email: managerEmail },
        admin,
      ),
    );
    return `${unit.name} (${orgUnitId}), manager ${managerEmail}`;
  });

  await run.step('create a voice skill queue with an access code', async () => {
    const queue = await ok(
      'create queue',
      system.tenant.post(`/tenants/${tenantId}/skill-queues`, { name: 'Voice support', mediaType: 'voice', accessCode }, admin),
      201,
    );
    skillQueueId = queue.skillQueueId;
    return `${queue.name}, access code ${accessCode}`;
  });

  await run.step('create an agent bound to the voice queue', async () => {
    const created = await ok(
      'create agent',
      system.agent.post(
        `/tenants/${tenantId}/agents`,
        { name: 'Alex Agent', orgUnitId, workNumber: '1001', softphoneNumber: `88${randomInt(100_000, 999_999)}` },
        admin,
      ),
      201,
    );
    agentId = created.agentId;
    agent = await system.token({ subject: agentId, role: 'agent', tenantId });
    // agent-svc learns of the queue from tenant-svc's events.
    await run.until('the queue known to agent-svc', async () =>
      (await system.agent.put(`/agents/${agentId}/skill-queues`, { skillQueueIds: [skillQueueId] }, admin)).status === 200
        ? true
        : undefined,
    );
    return `agent ${agentId}, softphone ${created.softphoneNumber}`;
  });

  await run.step('sign in: both phones register automatically', async () => {
    const signedIn = await ok('sign in', system.agent.post(`/agents/${agentId}/sign-in`, {}, agent));
    run.expect(signedIn.credentials?.length === 2, `two phones should register in pool mode, got ${JSON.stringify(signedIn.credentials)}`);
    for (const phone of signedIn.credentials) {
      await ok(
        `phone ${phone.phoneId} registered`,
        system.agent.post(`/agents/${agentId}/phones/${phone.phoneId}/registration-result`, { outcome: 'registered' }, agent),
      );
    }
    const view = await ok('agent', system.agent.get(`/agents/${agentId}`, agent));
    run.expect(view.registered === true, `the agent should be registered, got ${JSON.stringify(view.phones)}`);
    return (
      signedIn.credentials.map((c: { phoneId: number; gatewayId: string }) => `phone ${c.phoneId} on ${c.gatewayId}`).join(', ') +
      ': registered'
    );
  });

  await run.step('place an outbound voice call; the agent answers, then the customer', async () => {
    const placed = await run.until('call-svc ready for the agent', async () => {
      const result = await system.call.post('/calls', { to: '5550100', media: 'voice' }, agent);
      return result.status === 201 ? result.body : undefined;
    });
    outboundCallId = placed.callId;
    await run.until('the agent ringing in agent-svc', async () =>
      (await system.agent.get(`/agents/${agentId}`, agent)).body.availability === 'ringing' ? true : undefined,
    );
    await ok('agent answers', system.call.post(`/calls/${outboundCallId}/answer`, {}, agent));
    const talking = await ok('customer answers', system.call.post(`/calls/${outboundCallId}/customer-answered`, {}, gateway));
    run.expect(talking.status === 'talking', `the call should be talking, got ${talking.status}`);
    await run.until('the agent occupied in agent-svc', async () =>
      (await system.agent.get(`/agents/${agentId}`, agent)).body.availability === 'occupied' ? true : undefined,
    );
    return `call ${outboundCallId} on phone ${placed.phoneId}: ringing, then talking, agent occupied`;
  });

  await run.step('switch to video and share a browser tab', async () => {
    await ok('switch to video', system.call.post(`/calls/${outboundCallId}/media`, { change: 'switched-to-video' }, agent));
    const shared = await ok(
      'share a tab',
      system.call.post(`/calls/${outboundCallId}/media`, { change: 'screen-share-started', screenShare: 'tab' }, agent),
    );
    run.expect(
      shared.media.mode === 'video' && shared.media.screenShare === 'tab',
      `expected video sharing a tab, got ${JSON.stringify(shared.media)}`,
    );
    return JSON.stringify(shared.media);
  });

  await run.step('hang up: the agent is idle again', async () => {
    const ended = await ok('hang up', system.call.post(`/calls/${outboundCallId}/hang-up`, {}, agent));
    await run.until('the agent idle in agent-svc', async () =>
      (await system.agent.get(`/agents/${agentId}`, agent)).body.availability === 'idle' ? true : undefined,
    );
    return `ended by ${ended.endedBy} (${ended.endReason}), talked ${ended.talkSeconds} s`;
  });

  await run.step('an inbound call to the access code is auto-answered after 2 s', async () => {
    const arrived = await ok('inbound call', system.call.post('/calls/inbound', { caller: '5550111', dialed: accessCode }, gateway), 201);
    inboundCallIds.push(arrived.callId);
    const talking = await run.until('auto-answer', async () => {
      const view = (await system.call.get(`/calls/${arrived.callId}`, admin)).body;
      return view.status === 'talking' ? view : undefined;
    });
    run.expect(
      talking.answeredBy === 'auto-answer' && talking.agentId === agentId,
      `expected auto-answer by ${agentId}, got ${JSON.stringify(talking)}`,
    );
    autoAnswerDelayMs = Date.parse(talking.connectedAt) - Date.parse(talking.offeredAt);
    run.expect(autoAnswerDelayMs >= 2_000, `answered ${autoAnswerDelayMs} ms after the offer, before the 2 s`);
    // The softphone confirms that media flows (within the auto-answer guard).
    await ok('media confirmed', system.call.post(`/calls/${arrived.callId}/media-confirmed`, {}, agent));
    return `offered to the agent, auto-answered ${autoAnswerDelayMs} ms later, media confirmed`;
  });

  await run.step('poor network quality: the OU manager gets one internal message', async () => {
    const manager = await system.token({ subject: managerId, role: 'ou-manager', tenantId });
    await ok(
      'poor samples',
      system.quality.post(`/calls/${inboundCallIds[0]}/quality/samples`, { samples: samples(Date.now() - 5_000, true) }, gateway),
      202,
    );
    const [message] = await run.until('the manager message', async () => {
      const inbox = (await system.quality.get('/inbox/messages', manager)).body;
      return Array.isArray(inbox) && inbox.length > 0 ? inbox : undefined;
    });
    return `"${message.subject}"`;
  });

  await run.step('a second poor call within the hour: still one message, and one mail', async () => {
    const manager = await system.token({ subject: managerId, role: 'ou-manager', tenantId });
    await ok('hang up the first inbound call', system.call.post(`/calls/${inboundCallIds[0]}/hang-up`, {}, agent));
    const second = await ok(
      'second inbound call',
      system.call.post('/calls/inbound', { caller: '5550112', dialed: accessCode }, gateway),
      201,
    );
    inboundCallIds.push(second.callId);
    await run.until('second call answered', async () =>
      (await system.call.get(`/calls/${second.callId}`, admin)).body.status === 'talking' ? true : undefined,
    );
    await ok('media confirmed', system.call.post(`/calls/${second.callId}/media-confirmed`, {}, agent));
    await ok(
      'poor samples',
      system.quality.post(`/calls/${second.callId}/quality/samples`, { samples: samples(Date.now() - 5_000, true) }, gateway),
      202,
    );
    // Accepted, then measured by the owner of the call's samples partition (readable within a second).
    await run.until("the second call's poor level", async () =>
      (await system.quality.get(`/calls/${second.callId}/quality`, admin)).body.level === 'poor' ? true : undefined,
    );
    await run.until('the mail in the SMTP sink', async () => ((await system.mailsTo(managerEmail)).length > 0 ? true : undefined));
    // The second call's notice is decided once its agent and OU are known; give it the time the first one took.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const messages = await ok('inbox', system.quality.get('/inbox/messages', manager));
    run.expect(messages.length === 1, `the manager should have exactly one message, got ${messages.length}`);
    const mails = await system.mailsTo(managerEmail);
    run.expect(mails.length === 1, `the manager should have exactly one mail, got ${mails.length}`);
    await ok('hang up', system.call.post(`/calls/${second.callId}/hang-up`, {}, agent));
    return `1 message, 1 mail to ${managerEmail}`;
  });

  const line = async () => (await system.call.get(`/agents/${agentId}/line`, agent)).body as { status: string };
  const availability = async () => (await system.agent.get(`/agents/${agentId}`, agent)).body.availability as string;
  const inboundCall = async (caller: string) => {
    const arrived = await ok('inbound call', system.call.post('/calls/inbound', { caller, dialed: accessCode }, gateway), 201);
    inboundCallIds.push(arrived.callId);
    return arrived.callId as string;
  };
  const callOf = async (callId: string) => (await system.call.get(`/calls/${callId}`, admin)).body;

  await run.step('wrap-up after a call: no call meanwhile, until the agent ends it early', async () => {
    const callHandling = { autoAnswerGuardSeconds: 2, ringTimeoutSeconds: 30, wrapUpSeconds: 60 };
    await ok('call handling', system.tenant.put(`/tenants/${tenantId}/call-handling`, callHandling, admin));
    // call-svc applies the tenant's parameters once it has consumed them: a call then ends in wrap-up.
    await run.until('a call ending in wrap-up', async () => {
      const placed = (await system.call.post('/calls', { to: '5550100', media: 'voice' }, agent)).body;
      await system.call.post(`/calls/${placed.callId}/answer`, {}, agent);
      await system.call.post(`/calls/${placed.callId}/customer-answered`, {}, gateway);
      await system.call.post(`/calls/${placed.callId}/hang-up`, {}, agent);
      return (await line()).status === 'wrap-up' ? true : undefined;
    });
    await run.until('the agent in wrap-up in agent-svc', async () => ((await availability()) === 'wrap-up' ? true : undefined));
    const waiting = await inboundCall('5550113');
    run.expect((await callOf(waiting)).status === 'queued', 'a call during wrap-up should wait in its queue');
    await ok('end wrap-up early', system.call.post(`/agents/${agentId}/line/availability`, {}, agent));
    const talking = await run.until('the waiting call answered', async () => {
      const view = await callOf(waiting);
      return view.status === 'talking' ? view : undefined;
    });
    await ok('media confirmed', system.call.post(`/calls/${waiting}/media-confirmed`, {}, agent));
    await ok('hang up', system.call.post(`/calls/${waiting}/hang-up`, {}, agent));
    await ok('end wrap-up early', system.call.post(`/agents/${agentId}/line/availability`, {}, agent));
    return `wrap-up held call ${waiting} in its queue; ended early, the call was offered and answered (${talking.answeredBy})`;
  });

  await run.step('not responding: a call whose media is never confirmed goes back to its queue', async () => {
    const callId = await inboundCall('5550114');
    await run.until('auto-answered', async () => ((await callOf(callId)).status === 'talking' ? true : undefined));
    // No media confirmation: after the guard (2 s) the call waits again, at the head of its queue.
    const back = await run.until('the call back in its queue', async () => {
      const view = await callOf(callId);
      return view.status === 'queued' ? view : undefined;
    });
    run.expect(back.requeueReason === 'agent-not-responding', `expected agent-not-responding, got ${JSON.stringify(back)}`);
    await run.until('the agent not responding in agent-svc', async () => ((await availability()) === 'not-responding' ? true : undefined));
    await ok('the admin makes the agent available', system.call.post(`/agents/${agentId}/line/availability`, {}, admin));
    await run.until('the call answered again', async () => ((await callOf(callId)).status === 'talking' ? true : undefined));
    await ok('media confirmed', system.call.post(`/calls/${callId}/media-confirmed`, {}, agent));
    await ok('hang up', system.call.post(`/calls/${callId}/hang-up`, {}, agent));
    await ok('end wrap-up early', system.call.post(`/agents/${agentId}/line/availability`, {}, agent));
    return `call ${callId} re-queued (${back.requeueReason}), agent not responding, made available, answered again`;
  });

  return { tenantId, agentId, managerEmail, outboundCallId, inboundCallIds, autoAnswerDelayMs };
}
