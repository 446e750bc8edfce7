import { describe, it } from '@jest/globals';
import type { AgentEvent } from '@softphone/contracts';
import { deciderSpec } from '@softphone/testing';
import { agentDecider, type TenantFacts } from './agent.decider.js';

const spec = deciderSpec(agentDecider);
const agentId = 'a1';
const gateways = [
  { gatewayId: 'gw1', address: 'wss://gw1' },
  { gatewayId: 'gw2', address: 'wss://gw2' },
];
const tenant: TenantFacts = {
  status: 'normal',
  webRtcEnabled: true,
  gateways: [gateways[0]],
  poolMode: false,
  softphoneUnifiedAuthentication: false,
};
const pool: TenantFacts = { ...tenant, gateways, poolMode: true };

const created: AgentEvent = {
  type: 'agent.created',
  data: { agentId, orgUnitId: 'ou1', name: 'Ann', workNumber: '1001', softphoneNumber: '88001', authMode: 'unified' },
};
const voiceQueue: AgentEvent = {
  type: 'agent.skill-queues-bound',
  data: { agentId, skillQueueIds: ['q1'], voiceRelatedSkillQueueIds: ['q1'] },
};
const chatOnly: AgentEvent = { type: 'agent.skill-queues-bound', data: { agentId, skillQueueIds: ['q2'], voiceRelatedSkillQueueIds: [] } };
const signedIn: AgentEvent = { type: 'agent.signed-in', data: { agentId } };
const requested = (phones: Array<1 | 2>, trigger: 'sign-in' | 'manual' | 'retry' | 'gateways-changed', gws = gateways): AgentEvent => ({
  type: 'agent.softphone-registration-requested',
  data: {
    agentId,
    trigger,
    phones: phones.map((phoneId) => ({
      phoneId,
      number: '88001',
      gatewayId: gws[phoneId - 1].gatewayId,
      gatewayAddress: gws[phoneId - 1].address,
    })),
  },
});
const registered = (phoneId: 1 | 2): AgentEvent => ({ type: 'agent.softphone-registered', data: { agentId, phoneId } });
const failed = (phoneId: 1 | 2): AgentEvent => ({
  type: 'agent.softphone-registration-failed',
  data: { agentId, phoneId, reason: 'timeout' },
});
const uap: AgentEvent = { type: 'agent.auth-mode-changed', data: { agentId, authMode: 'uap' } };
const mobile: AgentEvent = { type: 'agent.phone-bound', data: { agentId, kind: 'mobile', number: '5550100' } };
const noLongerEligible: AgentEvent = { type: 'agent.softphones-unregistered', data: { agentId, reason: 'no-longer-eligible' } };

describe('agent decider', () => {
  it('creates an agent once', () => {
    spec
      .given([])
      .when({ type: 'CreateAgent', ...created.data })
      .then([created]);
    spec
      .given([created])
      .when({ type: 'CreateAgent', ...created.data })
      .thenFails('AGENT_ALREADY_EXISTS');
    spec.given([]).when({ type: 'SignIn', agentId, tenant }).thenFails('AGENT_NOT_FOUND');
    spec.given([]).when({ type: 'BindPhone', agentId, kind: 'mobile', number: '5550100' }).thenFails('AGENT_NOT_FOUND');
    spec
      .given([])
      .when({ type: 'ReportRegistration', agentId, phoneId: 1, outcome: 'registered', reason: null })
      .thenFails('AGENT_NOT_FOUND');
  });

  describe('bindings', () => {
    const up = [created, voiceQueue, signedIn, requested([1], 'sign-in'), registered(1)];
    it('binds and unbinds a fixed-line or mobile phone, skill queues and the auth mode, each change once', () => {
      spec.given([created]).when({ type: 'BindPhone', agentId, kind: 'mobile', number: '5550100' }).then([mobile]);
      spec.given([created, mobile]).when({ type: 'BindPhone', agentId, kind: 'mobile', number: '5550100' }).then([]);
      spec
        .given([created, mobile])
        .when({ type: 'UnbindPhone', agentId })
        .then([{ type: 'agent.phone-unbound', data: { agentId } }]);
      spec.given([created]).when({ type: 'UnbindPhone', agentId }).then([]);
      spec
        .given([created])
        .when({ type: 'BindSkillQueues', agentId, skillQueueIds: ['q1'], voiceRelatedSkillQueueIds: ['q1'] })
        .then([voiceQueue]);
      spec
        .given([created, voiceQueue])
        .when({ type: 'BindSkillQueues', agentId, skillQueueIds: ['q1'], voiceRelatedSkillQueueIds: ['q1'] })
        .then([]);
      spec.given([created]).when({ type: 'ChangeAuthMode', agentId, authMode: 'uap' }).then([uap]);
      spec.given([created, uap]).when({ type: 'ChangeAuthMode', agentId, authMode: 'uap' }).then([]);
    });
    it('unregisters the phones of an agent bound to a phone or left without a voice-related queue', () => {
      spec.given(up).when({ type: 'BindPhone', agentId, kind: 'mobile', number: '5550100' }).then([mobile, noLongerEligible]);
      spec
        .given(up)
        .when({ type: 'BindSkillQueues', agentId, skillQueueIds: ['q2'], voiceRelatedSkillQueueIds: [] })
        .then([chatOnly, noLongerEligible]);
      spec.given([created, voiceQueue, signedIn]).when({ type: 'BindPhone', agentId, kind: 'mobile', number: '5550100' }).then([mobile]);
    });
  });

  describe('sign-in registers the softphone automatically', () => {
    it('registers phone 1 for an eligible agent', () => {
      spec
        .given([created, voiceQueue])
        .when({ type: 'SignIn', agentId, tenant })
        .then([signedIn, requested([1], 'sign-in')]);
    });
    it('registers both phones in pool mode, one per gateway', () => {
      spec
        .given([created, voiceQueue])
        .when({ type: 'SignIn', agentId, tenant: pool })
        .then([signedIn, requested([1, 2], 'sign-in')]);
    });
    it('signs in without registering an agent bound to a fixed-line phone, with no voice queue, or in a tenant without WebRTC', () => {
      const bound: AgentEvent = { type: 'agent.phone-bound', data: { agentId, kind: 'fixed-line', number: '5550100' } };
      spec.given([created, voiceQueue, bound]).when({ type: 'SignIn', agentId, tenant }).then([signedIn]);
      spec.given([created, chatOnly]).when({ type: 'SignIn', agentId, tenant }).then([signedIn]);
      spec
        .given([created, voiceQueue])
        .when({ type: 'SignIn', agentId, tenant: { ...tenant, webRtcEnabled: false } })
        .then([signedIn]);
    });
    it('refuses a second sign-in and a sign-in in a suspended tenant', () => {
      spec.given([created, voiceQueue, signedIn]).when({ type: 'SignIn', agentId, tenant }).thenFails('AGENT_ALREADY_SIGNED_IN');
      spec
        .given([created])
        .when({ type: 'SignIn', agentId, tenant: { ...tenant, status: 'suspended' } })
        .thenFails('TENANT_SUSPENDED');
    });
    it('registers again at the next sign-in', () => {
      spec
        .given([
          created,
          voiceQueue,
          signedIn,
          requested([1], 'sign-in'),
          registered(1),
          { type: 'agent.softphones-unregistered', data: { agentId, reason: 'sign-out' } },
          { type: 'agent.signed-out', data: { agentId } },
        ])
        .when({ type: 'SignIn', agentId, tenant })
        .then([signedIn, requested([1], 'sign-in')]);
    });
  });

  describe('sign-out', () => {
    it('unregisters every phone at the same time', () => {
      spec
        .given([created, voiceQueue, signedIn, requested([1, 2], 'sign-in'), registered(1), registered(2)])
        .when({ type: 'SignOut', agentId })
        .then([
          { type: 'agent.softphones-unregistered', data: { agentId, reason: 'sign-out' } },
          { type: 'agent.signed-out', data: { agentId } },
        ]);
    });
    it('is refused when not signed in, or while talking', () => {
      spec.given([created]).when({ type: 'SignOut', agentId }).thenFails('AGENT_NOT_SIGNED_IN');
      spec
        .given([created, signedIn, { type: 'agent.became-occupied', data: { agentId, callId: 'c1' } }])
        .when({ type: 'SignOut', agentId })
        .thenFails('AGENT_ON_CALL');
    });
    it('only signs out an agent whose phones are already down', () => {
      spec
        .given([created, signedIn])
        .when({ type: 'SignOut', agentId })
        .then([{ type: 'agent.signed-out', data: { agentId } }]);
    });
  });

  describe('manual Register', () => {
    const failedOnce = [created, voiceQueue, uap, signedIn, requested([1, 2], 'sign-in'), registered(1), failed(2)];
    it('needs a signed-in, eligible agent', () => {
      spec.given([created, voiceQueue]).when({ type: 'Register', agentId, tenant, phoneId: null }).thenFails('AGENT_NOT_SIGNED_IN');
      spec
        .given([created, chatOnly, signedIn])
        .when({ type: 'Register', agentId, tenant, phoneId: null })
        .thenFails('NO_VOICE_SKILL_QUEUE');
      spec
        .given([created, voiceQueue, { type: 'agent.phone-bound', data: { agentId, kind: 'mobile', number: '5550100' } }, signedIn])
        .when({ type: 'Register', agentId, tenant, phoneId: null })
        .thenFails('AGENT_BOUND_TO_PHONE');
      spec
        .given([created, voiceQueue, signedIn])
        .when({ type: 'Register', agentId, tenant: { ...tenant, webRtcEnabled: false }, phoneId: null })
        .thenFails('WEBRTC_NOT_ENABLED');
      spec
        .given([created, voiceQueue, signedIn])
        .when({ type: 'Register', agentId, tenant: { ...tenant, status: 'suspended' }, phoneId: null })
        .thenFails('TENANT_SUSPENDED');
    });
    it('is refused while the softphone is registered or registering', () => {
      const registering = [created, voiceQueue, signedIn, requested([1], 'sign-in')];
      spec.given(registering).when({ type: 'Register', agentId, tenant, phoneId: null }).thenFails('SOFTPHONE_ALREADY_REGISTERED');
      spec
        .given([...registering, registered(1)])
        .when({ type: 'Register', agentId, tenant, phoneId: null })
        .thenFails('SOFTPHONE_ALREADY_REGISTERED');
    });
    it('registers again a phone deregistered after success', () => {
      const deregistered: AgentEvent = { type: 'agent.softphone-deregistered', data: { agentId, phoneId: 1, reason: 'gateway restart' } };
      spec
        .given([created, voiceQueue, signedIn, requested([1], 'sign-in'), registered(1), deregistered])
        .when({ type: 'Register', agentId, tenant, phoneId: null })
        .then([requested([1], 'manual')]);
    });
    it('is refused with unified authentication on and the agent in unified mode, allowed in UAP mode', () => {
      const unified = { ...tenant, softphoneUnifiedAuthentication: true };
      spec
        .given([created, voiceQueue, signedIn])
        .when({ type: 'Register', agentId, tenant: unified, phoneId: null })
        .thenFails('UNIFIED_AUTHENTICATION_NO_MANUAL_REGISTER');
      spec
        .given([created, voiceQueue, uap, signedIn])
        .when({ type: 'Register', agentId, tenant: unified, phoneId: null })
        .then([requested([1], 'manual')]);
      spec
        .given([created, voiceQueue, signedIn])
        .when({ type: 'Register', agentId, tenant, phoneId: null })
        .then([requested([1], 'manual')]);
    });
    it('re-registers a failed pool phone alone', () => {
      spec
        .given(failedOnce)
        .when({ type: 'Register', agentId, tenant: pool, phoneId: 2 })
        .then([requested([2], 'retry')]);
      spec
        .given(failedOnce)
        .when({ type: 'Register', agentId, tenant: pool, phoneId: null })
        .then([requested([2], 'retry')]);
      spec.given(failedOnce).when({ type: 'Register', agentId, tenant: pool, phoneId: 1 }).thenFails('SOFTPHONE_ALREADY_REGISTERED');
      spec.given(failedOnce).when({ type: 'Register', agentId, tenant, phoneId: 2 }).thenFails('PHONE_NOT_FOUND');
    });
  });

  describe('registration results from the browser phone', () => {
    const registering = [created, voiceQueue, signedIn, requested([1], 'sign-in')];
    it('takes back registered, failed, and a later deregistration', () => {
      spec
        .given(registering)
        .when({ type: 'ReportRegistration', agentId, phoneId: 1, outcome: 'registered', reason: null })
        .then([registered(1)]);
      spec
        .given(registering)
        .when({ type: 'ReportRegistration', agentId, phoneId: 1, outcome: 'failed', reason: 'timeout' })
        .then([failed(1)]);
      spec
        .given([...registering, registered(1)])
        .when({ type: 'ReportRegistration', agentId, phoneId: 1, outcome: 'deregistered', reason: 'gateway restart' })
        .then([{ type: 'agent.softphone-deregistered', data: { agentId, phoneId: 1, reason: 'gateway restart' } }]);
    });
    it('refuses results that do not follow a request', () => {
      spec
        .given([created, signedIn])
        .when({ type: 'ReportRegistration', agentId, phoneId: 1, outcome: 'registered', reason: null })
        .thenFails('PHONE_NOT_REGISTERING');
      spec
        .given(registering)
        .when({ type: 'ReportRegistration', agentId, phoneId: 1, outcome: 'deregistered', reason: null })
        .thenFails('PHONE_NOT_REGISTERED');
    });
  });

  describe('reactions to the tenant', () => {
    const up = [created, voiceQueue, signedIn, requested([1], 'sign-in'), registered(1)];
    it('unregisters the phones when WebRTC is disabled or the tenant suspended, once', () => {
      spec
        .given(up)
        .when({ type: 'UnregisterPhones', agentId, reason: 'webrtc-disabled' })
        .then([{ type: 'agent.softphones-unregistered', data: { agentId, reason: 'webrtc-disabled' } }]);
      spec
        .given([...up, { type: 'agent.softphones-unregistered', data: { agentId, reason: 'webrtc-disabled' } }])
        .when({ type: 'UnregisterPhones', agentId, reason: 'tenant-suspended' })
        .then([]);
    });
    it('re-registers on changed gateways only the phones of a signed-in agent', () => {
      const moved = [{ gatewayId: 'gw9', address: 'wss://gw9' }];
      spec
        .given(up)
        .when({ type: 'ReRegisterOnNewGateways', agentId, tenant: { ...tenant, gateways: moved } })
        .then([requested([1], 'gateways-changed', moved)]);
      spec.given([created, voiceQueue]).when({ type: 'ReRegisterOnNewGateways', agentId, tenant }).then([]);
    });
    it('adds phone 2 on the second gateway when pool mode starts, and lets it go when pool mode ends', () => {
      spec
        .given(up)
        .when({ type: 'ApplyPoolMode', agentId, tenant: pool })
        .then([requested([2], 'gateways-changed')]);
      spec.given([created, voiceQueue]).when({ type: 'ApplyPoolMode', agentId, tenant: pool }).then([]);
      const pooled = [created, voiceQueue, signedIn, requested([1, 2], 'sign-in'), registered(1), registered(2)];
      spec
        .given(pooled)
        .when({ type: 'ApplyPoolMode', agentId, tenant })
        .then([{ type: 'agent.softphone-deregistered', data: { agentId, phoneId: 2, reason: 'CTI pool mode turned off' } }]);
      spec.given(up).when({ type: 'ApplyPoolMode', agentId, tenant }).then([]);
    });
  });

  it('is occupied while talking and idle after, each call once', () => {
    const occupied: AgentEvent = { type: 'agent.became-occupied', data: { agentId, callId: 'c1' } };
    spec.given([created, signedIn]).when({ type: 'StartCall', agentId, callId: 'c1' }).then([occupied]);
    spec.given([created, signedIn, occupied]).when({ type: 'StartCall', agentId, callId: 'c1' }).then([]);
    spec
      .given([created, signedIn, occupied])
      .when({ type: 'EndCall', agentId, callId: 'c1' })
      .then([{ type: 'agent.became-idle', data: { agentId, callId: 'c1' } }]);
    spec.given([created, signedIn]).when({ type: 'EndCall', agentId, callId: 'c1' }).then([]);
  });
});
