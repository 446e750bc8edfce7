import { describe, expect, it } from '@jest/globals';
import type { AgentEvent } from '@softphone/contracts';
import { fold } from '@softphone/decider';
import { deciderSpec } from '@softphone/testing';
import { availabilityOf } from '../availability/availability.policy.js';
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
type Trigger = 'sign-in' | 'manual' | 'retry' | 'gateways-changed' | 'webrtc-enabled' | 'tenant-resumed';
/** A registration of `phones`; its password derives from `credentialId` (k1 unless said). */
const requested = (phones: Array<1 | 2>, trigger: Trigger, gws = gateways, credentialId = 'k1'): AgentEvent => ({
  type: 'agent.softphone-registration-requested',
  data: {
    agentId,
    credentialId,
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
      .when({ type: 'CreateAgent', ...created.data, orgUnitExists: true, workNumberTaken: false })
      .then([created]);
    spec
      .given([created])
      .when({ type: 'CreateAgent', ...created.data, orgUnitExists: true, workNumberTaken: false })
      .thenFails('AGENT_ALREADY_EXISTS');
    spec.given([]).when({ type: 'SignIn', agentId, tenant, credentialId: 'k1' }).thenFails('AGENT_NOT_FOUND');
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
        .when({ type: 'BindSkillQueues', agentId, skillQueueIds: ['q1'], mediaTypes: { q1: 'voice' } })
        .then([voiceQueue]);
      spec
        .given([created, voiceQueue])
        .when({ type: 'BindSkillQueues', agentId, skillQueueIds: ['q1'], mediaTypes: { q1: 'voice' } })
        .then([]);
      spec.given([created]).when({ type: 'ChangeAuthMode', agentId, authMode: 'uap' }).then([uap]);
      spec.given([created, uap]).when({ type: 'ChangeAuthMode', agentId, authMode: 'uap' }).then([]);
    });
    it('unregisters the phones of an agent bound to a phone or left without a voice-related queue', () => {
      spec.given(up).when({ type: 'BindPhone', agentId, kind: 'mobile', number: '5550100' }).then([mobile, noLongerEligible]);
      spec
        .given(up)
        .when({ type: 'BindSkillQueues', agentId, skillQueueIds: ['q2'], mediaTypes: { q2: 'chat' } })
        .then([chatOnly, noLongerEligible]);
      spec.given([created, voiceQueue, signedIn]).when({ type: 'BindPhone', agentId, kind: 'mobile', number: '5550100' }).then([mobile]);
    });
  });

  describe('sign-in registers the softphone automatically', () => {
    it('registers phone 1 for an eligible agent', () => {
      spec
        .given([created, voiceQueue])
        .when({ type: 'SignIn', agentId, tenant, credentialId: 'k1' })
        .then([signedIn, requested([1], 'sign-in')]);
    });
    it('registers both phones in pool mode, one per gateway', () => {
      spec
        .given([created, voiceQueue])
        .when({ type: 'SignIn', agentId, tenant: pool, credentialId: 'k1' })
        .then([signedIn, requested([1, 2], 'sign-in')]);
    });
    it('signs in without registering an agent bound to a fixed-line phone, with no voice queue, or in a tenant without WebRTC', () => {
      const bound: AgentEvent = { type: 'agent.phone-bound', data: { agentId, kind: 'fixed-line', number: '5550100' } };
      spec.given([created, voiceQueue, bound]).when({ type: 'SignIn', agentId, tenant, credentialId: 'k1' }).then([signedIn]);
      spec.given([created, chatOnly]).when({ type: 'SignIn', agentId, tenant, credentialId: 'k1' }).then([signedIn]);
      spec
        .given([created, voiceQueue])
        .when({ type: 'SignIn', agentId, tenant: { ...tenant, webRtcEnabled: false }, credentialId: 'k1' })
        .then([signedIn]);
    });
    it('refuses a second sign-in and a sign-in in a suspended tenant', () => {
      spec
        .given([created, voiceQueue, signedIn])
        .when({ type: 'SignIn', agentId, tenant, credentialId: 'k1' })
        .thenFails('AGENT_ALREADY_SIGNED_IN');
      spec
        .given([created])
        .when({ type: 'SignIn', agentId, tenant: { ...tenant, status: 'suspended' }, credentialId: 'k1' })
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
        .when({ type: 'SignIn', agentId, tenant, credentialId: 'k1' })
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
      spec
        .given([created, voiceQueue])
        .when({ type: 'Register', agentId, tenant, phoneId: null, credentialId: 'k2' })
        .thenFails('AGENT_NOT_SIGNED_IN');
      spec
        .given([created, chatOnly, signedIn])
        .when({ type: 'Register', agentId, tenant, phoneId: null, credentialId: 'k2' })
        .thenFails('NO_VOICE_SKILL_QUEUE');
      spec
        .given([created, voiceQueue, { type: 'agent.phone-bound', data: { agentId, kind: 'mobile', number: '5550100' } }, signedIn])
        .when({ type: 'Register', agentId, tenant, phoneId: null, credentialId: 'k2' })
        .thenFails('AGENT_BOUND_TO_PHONE');
      spec
        .given([created, voiceQueue, signedIn])
        .when({ type: 'Register', agentId, tenant: { ...tenant, webRtcEnabled: false }, phoneId: null, credentialId: 'k2' })
        .thenFails('WEBRTC_NOT_ENABLED');
      spec
        .given([created, voiceQueue, signedIn])
        .when({ type: 'Register', agentId, tenant: { ...tenant, status: 'suspended' }, phoneId: null, credentialId: 'k2' })
        .thenFails('TENANT_SUSPENDED');
    });
    it('is refused while the softphone is registered or registering', () => {
      const registering = [created, voiceQueue, signedIn, requested([1], 'sign-in')];
      spec
        .given(registering)
        .when({ type: 'Register', agentId, tenant, phoneId: null, credentialId: 'k2' })
        .thenFails('SOFTPHONE_ALREADY_REGISTERED');
      spec
        .given([...registering, registered(1)])
        .when({ type: 'Register', agentId, tenant, phoneId: null, credentialId: 'k2' })
        .thenFails('SOFTPHONE_ALREADY_REGISTERED');
    });
    it('registers again a phone deregistered after success', () => {
      const deregistered: AgentEvent = { type: 'agent.softphone-deregistered', data: { agentId, phoneId: 1, reason: 'gateway restart' } };
      spec
        .given([created, voiceQueue, signedIn, requested([1], 'sign-in'), registered(1), deregistered])
        .when({ type: 'Register', agentId, tenant, phoneId: null, credentialId: 'k2' })
        .then([requested([1], 'manual', gateways, 'k2')]);
    });
    it('is refused with unified authentication on and the agent in unified mode, allowed in UAP mode', () => {
      const unified = { ...tenant, softphoneUnifiedAuthentication: true };
      spec
        .given([created, voiceQueue, signedIn])
        .when({ type: 'Register', agentId, tenant: unified, phoneId: null, credentialId: 'k2' })
        .thenFails('UNIFIED_AUTHENTICATION_NO_MANUAL_REGISTER');
      spec
        .given([created, voiceQueue, uap, signedIn])
        .when({ type: 'Register', agentId, tenant: unified, phoneId: null, credentialId: 'k2' })
        .then([requested([1], 'manual', gateways, 'k2')]);
      spec
        .given([created, voiceQueue, signedIn])
        .when({ type: 'Register', agentId, tenant, phoneId: null, credentialId: 'k2' })
        .then([requested([1], 'manual', gateways, 'k2')]);
    });
    it('re-registers a failed pool phone alone', () => {
      spec
        .given(failedOnce)
        .when({ type: 'Register', agentId, tenant: pool, phoneId: 2, credentialId: 'k2' })
        .then([requested([2], 'retry')]);
      spec
        .given(failedOnce)
        .when({ type: 'Register', agentId, tenant: pool, phoneId: null, credentialId: 'k2' })
        .then([requested([2], 'retry')]);
      spec
        .given(failedOnce)
        .when({ type: 'Register', agentId, tenant: pool, phoneId: 1, credentialId: 'k2' })
        .thenFails('SOFTPHONE_ALREADY_REGISTERED');
      spec.given(failedOnce).when({ type: 'Register', agentId, tenant, phoneId: 2, credentialId: 'k2' }).thenFails('PHONE_NOT_FOUND');
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
        .when({ type: 'ReRegisterOnNewGateways', agentId, tenant: { ...tenant, gateways: moved }, credentialId: 'k3' })
        .then([requested([1], 'gateways-changed', moved, 'k3')]);
      spec.given([created, voiceQueue]).when({ type: 'ReRegisterOnNewGateways', agentId, tenant, credentialId: 'k3' }).then([]);
    });
    it('adds phone 2 on the second gateway when pool mode starts, and lets it go when pool mode ends', () => {
      spec
        .given(up)
        .when({ type: 'ApplyPoolMode', agentId, tenant: pool, credentialId: 'k3' })
        .then([requested([2], 'gateways-changed')]);
      spec.given([created, voiceQueue]).when({ type: 'ApplyPoolMode', agentId, tenant: pool, credentialId: 'k3' }).then([]);
      const pooled = [created, voiceQueue, signedIn, requested([1, 2], 'sign-in'), registered(1), registered(2)];
      spec
        .given(pooled)
        .when({ type: 'ApplyPoolMode', agentId, tenant, credentialId: 'k3' })
        .then([{ type: 'agent.softphone-deregistered', data: { agentId, phoneId: 2, reason: 'CTI pool mode turned off' } }]);
      spec.given(up).when({ type: 'ApplyPoolMode', agentId, tenant, credentialId: 'k3' }).then([]);
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

  describe('orphan references and uniqueness', () => {
    const create = (facts: { orgUnitExists: boolean; workNumberTaken: boolean }) =>
      ({ type: 'CreateAgent', ...created.data, ...facts }) as const;
    it("refuses an org unit that does not exist in the agent's tenant (another tenant's too)", () => {
      // Issue 10: "Creating an agent in another tenant's org unit, or in one that does not exist, is 404".
      spec
        .given([])
        .when(create({ orgUnitExists: false, workNumberTaken: false }))
        .thenFails('ORG_UNIT_NOT_FOUND', { field: 'orgUnitId' });
    });
    it('refuses a work number another agent of the tenant has', () => {
      spec
        .given([])
        .when(create({ orgUnitExists: true, workNumberTaken: true }))
        .thenFails('WORK_NUMBER_TAKEN', { field: 'workNumber' });
    });
    it('refuses a skill queue tenant-svc never announced', () => {
      spec
        .given([created])
        .when({ type: 'BindSkillQueues', agentId, skillQueueIds: ['q1', 'nope'], mediaTypes: { q1: 'voice' } })
        .thenFails('SKILL_QUEUE_NOT_FOUND', { status: 422, field: 'skillQueueIds' });
    });
  });

  describe('the two pool phones share one password at every moment', () => {
    // Guide: "In pool mode, there are two phones that share the same password." Issue 10: "The two phones of an agent
    // share one password at every moment: after a retry, a gateway change, or pool mode being switched on."
    const pooled = [created, voiceQueue, uap, signedIn, requested([1, 2], 'sign-in'), registered(1)];
    it('after a retry of the failed phone: the credential of the other phone', () => {
      spec
        .given([...pooled, failed(2)])
        .when({ type: 'Register', agentId, tenant: pool, phoneId: 2, credentialId: 'k9' })
        .then([requested([2], 'retry', gateways, 'k1')]);
    });
    it('after a gateway change: both phones register again with one new credential', () => {
      spec
        .given([...pooled, registered(2)])
        .when({ type: 'ReRegisterOnNewGateways', agentId, tenant: pool, credentialId: 'k9' })
        .then([requested([1, 2], 'gateways-changed', gateways, 'k9')]);
    });
    it("when pool mode is switched on: phone 2 joins with phone 1's credential", () => {
      spec
        .given([created, voiceQueue, signedIn, requested([1], 'sign-in'), registered(1)])
        .when({ type: 'ApplyPoolMode', agentId, tenant: pool, credentialId: 'k9' })
        .then([requested([2], 'gateways-changed', gateways, 'k1')]);
    });
    it('a new sign-in issues a new credential for both', () => {
      spec
        .given([
          ...pooled,
          { type: 'agent.softphones-unregistered', data: { agentId, reason: 'sign-out' } },
          { type: 'agent.signed-out', data: { agentId } },
        ])
        .when({ type: 'SignIn', agentId, tenant: pool, credentialId: 'k9' })
        .then([signedIn, requested([1, 2], 'sign-in', gateways, 'k9')]);
    });
  });

  describe('a deregistered phone is a failure, not a sign-out', () => {
    it('keeps deregistered (and failed) phones apart from unregistered ones, with the reason', () => {
      // Guide: "is displayed if the WebRTC phone fails to be registered, or the WebRTC phone is registered successfully
      // and then deregistered." and "After you sign out, the softphone status changes to unregistered."
      const deregistered: AgentEvent = { type: 'agent.softphone-deregistered', data: { agentId, phoneId: 1, reason: 'gateway restart' } };
      const history = [created, voiceQueue, signedIn, requested([1, 2], 'sign-in'), registered(1), deregistered, failed(2)];
      const state = fold(agentDecider, history);
      expect(state.phones).toEqual({ 1: 'deregistered', 2: 'failed' });
      expect(state.phoneFailures).toEqual({ 1: 'gateway restart', 2: 'timeout' });
      const signedOut = fold(agentDecider, [...history, { type: 'agent.softphones-unregistered', data: { agentId, reason: 'sign-out' } }]);
      expect(signedOut.phones).toEqual({ 1: 'unregistered', 2: 'unregistered' });
      expect(signedOut.phoneFailures).toEqual({});
    });
  });

  describe('registration as soon as the tenant allows it (both orders of sign-in and "WebRTC enabled")', () => {
    const noWebRtc = { ...tenant, webRtcEnabled: false };
    it('signed in before agent-svc heard that WebRTC is on: registers when it hears it', () => {
      spec.given([created, voiceQueue]).when({ type: 'SignIn', agentId, tenant: noWebRtc, credentialId: 'k1' }).then([signedIn]);
      spec
        .given([created, voiceQueue, signedIn])
        .when({ type: 'RegisterAutomatically', agentId, tenant, trigger: 'webrtc-enabled', credentialId: 'k1' })
        .then([requested([1], 'webrtc-enabled')]);
    });
    it('WebRTC on first: sign-in registers, and the late fact registers nothing again', () => {
      spec
        .given([created, voiceQueue])
        .when({ type: 'SignIn', agentId, tenant, credentialId: 'k1' })
        .then([signedIn, requested([1], 'sign-in')]);
      spec
        .given([created, voiceQueue, signedIn, requested([1], 'sign-in')])
        .when({ type: 'RegisterAutomatically', agentId, tenant, trigger: 'webrtc-enabled', credentialId: 'k2' })
        .then([]);
    });
    it('registers the signed-in agents of a resumed tenant, not the signed-out or ineligible ones', () => {
      const suspendedOut: AgentEvent = { type: 'agent.softphones-unregistered', data: { agentId, reason: 'tenant-suspended' } };
      spec
        .given([created, voiceQueue, signedIn, requested([1, 2], 'sign-in'), registered(1), registered(2), suspendedOut])
        .when({ type: 'RegisterAutomatically', agentId, tenant: pool, trigger: 'tenant-resumed', credentialId: 'k2' })
        .then([requested([1, 2], 'tenant-resumed', gateways, 'k2')]);
      spec
        .given([created, voiceQueue])
        .when({ type: 'RegisterAutomatically', agentId, tenant, trigger: 'tenant-resumed', credentialId: 'k2' })
        .then([]);
      spec
        .given([created, chatOnly, signedIn])
        .when({ type: 'RegisterAutomatically', agentId, tenant, trigger: 'tenant-resumed', credentialId: 'k2' })
        .then([]);
    });
  });

  describe('availability from call-svc', () => {
    const ringing: AgentEvent = { type: 'agent.became-ringing', data: { agentId, callId: 'c1' } };
    const occupied: AgentEvent = { type: 'agent.became-occupied', data: { agentId, callId: 'c1' } };
    const idle: AgentEvent = { type: 'agent.became-idle', data: { agentId, callId: 'c1' } };
    const wrapUp: AgentEvent = { type: 'agent.wrap-up-started', data: { agentId, callId: 'c1', until: '2026-11-24T10:00:30.000Z' } };
    const availability = (events: AgentEvent[]) => availabilityOf(fold(agentDecider, events));
    it('is ringing from the moment a call is placed or offered, occupied while talking', () => {
      // Issue 10: "show a `ringing` (or `reserved`) availability the moment a call is placed or offered".
      spec.given([created, signedIn]).when({ type: 'RingCall', agentId, callId: 'c1' }).then([ringing]);
      spec.given([created, signedIn, ringing]).when({ type: 'RingCall', agentId, callId: 'c1' }).then([]);
      spec.given([created, signedIn, ringing]).when({ type: 'StartCall', agentId, callId: 'c1' }).then([occupied]);
      expect(availability([created, signedIn, ringing])).toBe('ringing');
      expect(availability([created, signedIn, ringing, occupied])).toBe('occupied');
      // A ringing agent may still sign out (the call goes back to its queue); a talking one may not.
      spec
        .given([created, signedIn, ringing])
        .when({ type: 'SignOut', agentId })
        .then([{ type: 'agent.signed-out', data: { agentId } }]);
    });
    it('wrap-up after the call, whichever of "call ended" and "wrap-up started" comes first', () => {
      // Issue 10: "After a call ends the agent is in `wrap-up` for a tenant-configured time".
      spec
        .given([created, signedIn, occupied])
        .when({ type: 'StartWrapUp', agentId, callId: 'c1', until: '2026-11-24T10:00:30.000Z' })
        .then([wrapUp]);
      expect(availability([created, signedIn, occupied, idle, wrapUp])).toBe('wrap-up');
      expect(availability([created, signedIn, occupied, wrapUp])).toBe('occupied');
      expect(availability([created, signedIn, occupied, wrapUp, idle])).toBe('wrap-up');
      spec
        .given([created, signedIn, occupied, wrapUp, idle])
        .when({ type: 'EndWrapUp', agentId, callId: 'c1' })
        .then([{ type: 'agent.wrap-up-ended', data: { agentId, callId: 'c1' } }]);
      spec.given([created, signedIn, occupied, idle]).when({ type: 'EndWrapUp', agentId, callId: 'c1' }).then([]);
    });
    it('not responding until made available, whichever of "call taken back" and "not responding" comes first', () => {
      // Issue 10: "the agent goes to `not-responding` (not routable) until the agent or an admin makes it available again".
      const notResponding: AgentEvent = {
        type: 'agent.became-not-responding',
        data: { agentId, callId: 'c1', reason: 'auto-answer-unconfirmed' },
      };
      spec
        .given([created, signedIn, occupied])
        .when({ type: 'MarkNotResponding', agentId, callId: 'c1', reason: 'auto-answer-unconfirmed' })
        .then([notResponding]);
      expect(availability([created, signedIn, occupied, idle, notResponding])).toBe('not-responding');
      expect(availability([created, signedIn, occupied, notResponding, idle])).toBe('not-responding');
      const available: AgentEvent = { type: 'agent.made-available', data: { agentId } };
      spec.given([created, signedIn, occupied, idle, notResponding]).when({ type: 'MarkAvailable', agentId }).then([available]);
      expect(availability([created, signedIn, occupied, idle, notResponding, available])).toBe('idle');
    });
  });

  describe('softphone liveness', () => {
    const at = (s: number) => new Date(Date.UTC(2026, 10, 24, 10, 0, s)).toISOString();
    const reachable = (s: number): AgentEvent => ({ type: 'agent.softphone-reachable', data: { agentId, heartbeatAt: at(s) } });
    const unreachable = (s: number): AgentEvent => ({ type: 'agent.softphone-unreachable', data: { agentId, lastHeartbeatAt: at(s) } });
    it('watches the softphone from its first heartbeat; stale for three periods, the agent is unreachable until the next one', () => {
      // Issue 10: "an agent whose heartbeat is stale for 3 periods is not routable and shows `softphone-unreachable`,
      // and comes back by itself on the next heartbeat."
      spec
        .given([created, signedIn])
        .when({ type: 'Heartbeat', agentId, at: at(0) })
        .then([reachable(0)]);
      spec
        .given([created, signedIn])
        .when({ type: 'MarkUnreachable', agentId, lastHeartbeatAt: at(0) })
        .then([]);
      spec
        .given([created, signedIn, reachable(0)])
        .when({ type: 'MarkUnreachable', agentId, lastHeartbeatAt: at(20) })
        .then([unreachable(20)]);
      expect(availabilityOf(fold(agentDecider, [created, signedIn, reachable(0), unreachable(20)]))).toBe('softphone-unreachable');
      spec
        .given([created, signedIn, reachable(0), unreachable(20)])
        .when({ type: 'Heartbeat', agentId, at: at(45) })
        .then([reachable(45)]);
      spec
        .given([created])
        .when({ type: 'Heartbeat', agentId, at: at(0) })
        .thenFails('AGENT_NOT_SIGNED_IN');
    });
    it('a late stale mark and a new heartbeat, in both orders, leave the agent reachable', () => {
      // The heartbeat first: the mark about the older heartbeat changes nothing.
      spec
        .given([created, signedIn, reachable(0), reachable(45)])
        .when({ type: 'MarkUnreachable', agentId, lastHeartbeatAt: at(20) })
        .then([]);
      // The mark first: the heartbeat brings the agent back.
      expect(fold(agentDecider, [created, signedIn, reachable(0), unreachable(20), reachable(45)]).softphoneReachable).toBe(true);
    });
    it('stops watching at sign-out', () => {
      const out = [created, signedIn, reachable(0), unreachable(20), { type: 'agent.signed-out', data: { agentId } } as AgentEvent];
      expect(fold(agentDecider, out).softphoneReachable).toBe(true);
      spec
        .given(out)
        .when({ type: 'MarkUnreachable', agentId, lastHeartbeatAt: at(20) })
        .then([]);
    });
  });
});
