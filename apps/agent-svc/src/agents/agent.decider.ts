import type { AgentEvent, AuthMode, Gateway } from '@softphone/contracts';
import type { Decider } from '@softphone/decider';
import { DomainError, NotFoundError } from '@softphone/errors';

export type PhoneId = 1 | 2;
export type PhoneStatus = 'unregistered' | 'registering' | 'registered' | 'failed';

/** What the agent's tenant allows, from tenant-svc's events (passed in by the command handler). */
export interface TenantFacts {
  status: 'normal' | 'suspended';
  webRtcEnabled: boolean;
  gateways: Gateway[];
  poolMode: boolean;
  softphoneUnifiedAuthentication: boolean;
}

export type AgentCommand = { agentId: string } & (
  | { type: 'CreateAgent'; orgUnitId: string; name: string; workNumber: string; softphoneNumber: string; authMode: AuthMode }
  | { type: 'BindPhone'; kind: 'fixed-line' | 'mobile'; number: string }
  | { type: 'UnbindPhone' }
  | { type: 'BindSkillQueues'; skillQueueIds: string[]; voiceRelatedSkillQueueIds: string[] }
  | { type: 'ChangeAuthMode'; authMode: AuthMode }
  | { type: 'SignIn'; tenant: TenantFacts }
  | { type: 'SignOut' }
  | { type: 'Register'; tenant: TenantFacts; phoneId: PhoneId | null }
  | { type: 'ReportRegistration'; phoneId: PhoneId; outcome: 'registered' | 'failed' | 'deregistered'; reason: string | null }
  | { type: 'UnregisterPhones'; reason: 'webrtc-disabled' | 'tenant-suspended' }
  | { type: 'ReRegisterOnNewGateways'; tenant: TenantFacts }
  | { type: 'ApplyPoolMode'; tenant: TenantFacts }
  | { type: 'StartCall'; callId: string }
  | { type: 'EndCall'; callId: string }
);

export interface AgentState {
  agentId: string | null;
  softphoneNumber: string;
  authMode: AuthMode;
  boundPhone: { kind: 'fixed-line' | 'mobile'; number: string } | null;
  skillQueueIds: string[];
  hasVoiceRelatedQueue: boolean;
  signedIn: boolean;
  /** Each phone that has been registered (phone 2 only in pool mode; one let go when pool mode ends stays unregistered). */
  phones: Partial<Record<PhoneId, PhoneStatus>>;
  currentCallId: string | null;
}

const initialState: AgentState = {
  agentId: null,
  softphoneNumber: '',
  authMode: 'uap',
  boundPhone: null,
  skillQueueIds: [],
  hasVoiceRelatedQueue: false,
  signedIn: false,
  phones: {},
  currentCallId: null,
};

const refuse = (code: string, message: string) => new DomainError(code, message);

/** The guide's conditions for the WebRTC phone: tenant normal with WebRTC, agent not bound to a phone, a voice-related queue. */
function assertCanUseWebRtc(state: AgentState, tenant: TenantFacts): void {
  if (tenant.status !== 'normal') throw refuse('TENANT_SUSPENDED', 'the tenant is suspended');
  if (!tenant.webRtcEnabled) throw refuse('WEBRTC_NOT_ENABLED', 'WebRTC is not enabled for the tenant');
  if (state.boundPhone)
    throw refuse('AGENT_BOUND_TO_PHONE', `the agent is bound to a ${state.boundPhone.kind} phone and cannot use the WebRTC phone`);
  if (!state.hasVoiceRelatedQueue) {
    throw refuse('NO_VOICE_SKILL_QUEUE', 'the agent is bound to no voice-related skill queue (voice, video, voice or video click-to-dial)');
  }
}

const canUseWebRtc = (state: AgentState, tenant: TenantFacts) => {
  try {
    assertCanUseWebRtc(state, tenant);
    return true;
  } catch {
    return false;
  }
};

/** Phone 1 on the first gateway; in pool mode phone 2 on the second (same number, one shared password). */
function registrationOf(
  state: AgentState,
  tenant: TenantFacts,
  only: PhoneId | null,
  trigger: 'sign-in' | 'manual' | 'retry' | 'gateways-changed',
): AgentEvent {
  const all: PhoneId[] = tenant.poolMode ? [1, 2] : [1];
  const phones = (only ? [only] : all).map((phoneId) => {
    const gateway = tenant.gateways[phoneId - 1] ?? tenant.gateways[0];
    return { phoneId, number: state.softphoneNumber, gatewayId: gateway.gatewayId, gatewayAddress: gateway.address };
  });
  return { type: 'agent.softphone-registration-requested', data: { agentId: state.agentId!, trigger, phones } };
}

const isUp = (status: PhoneStatus | undefined) => status !== undefined && status !== 'unregistered';
const anyPhoneUp = (state: AgentState) => Object.values(state.phones).some(isUp);

/** An agent who may no longer use the WebRTC phone (bound to a phone, no voice-related queue) loses its phones at once. */
const unregisterIfUp = (state: AgentState, agentId: string): AgentEvent[] =>
  anyPhoneUp(state) ? [{ type: 'agent.softphones-unregistered', data: { agentId, reason: 'no-longer-eligible' } }] : [];

function decide(command: AgentCommand, state: AgentState): AgentEvent[] {
  const { agentId } = command;
  if (command.type === 'CreateAgent') {
    if (state.agentId) throw refuse('AGENT_ALREADY_EXISTS', `agent ${agentId} already exists`);
    const { orgUnitId, name, workNumber, softphoneNumber, authMode } = command;
    return [{ type: 'agent.created', data: { agentId, orgUnitId, name, workNumber, softphoneNumber, authMode } }];
  }
  if (!state.agentId) throw new NotFoundError('agent', agentId);
  switch (command.type) {
    case 'BindPhone':
      if (state.boundPhone?.kind === command.kind && state.boundPhone.number === command.number) return [];
      return [
        { type: 'agent.phone-bound', data: { agentId, kind: command.kind, number: command.number } },
        ...unregisterIfUp(state, agentId),
      ];
    case 'UnbindPhone':
      return state.boundPhone ? [{ type: 'agent.phone-unbound', data: { agentId } }] : [];
    case 'BindSkillQueues':
      if (JSON.stringify([...command.skillQueueIds].sort()) === JSON.stringify([...state.skillQueueIds].sort())) return [];
      return [
        {
          type: 'agent.skill-queues-bound',
          data: { agentId, skillQueueIds: command.skillQueueIds, voiceRelatedSkillQueueIds: command.voiceRelatedSkillQueueIds },
        },
        ...(command.voiceRelatedSkillQueueIds.length === 0 ? unregisterIfUp(state, agentId) : []),
      ];
    case 'ChangeAuthMode':
      return command.authMode === state.authMode
        ? []
        : [{ type: 'agent.auth-mode-changed', data: { agentId, authMode: command.authMode } }];
    case 'SignIn': {
      if (state.signedIn) throw refuse('AGENT_ALREADY_SIGNED_IN', 'the agent is already signed in');
      if (command.tenant.status !== 'normal') throw refuse('TENANT_SUSPENDED', 'the tenant is suspended');
      const signedIn: AgentEvent = { type: 'agent.signed-in', data: { agentId } };
      // After Sign In the softphone registers automatically, for an agent who may use it.
      return canUseWebRtc(state, command.tenant) ? [signedIn, registrationOf(state, command.tenant, null, 'sign-in')] : [signedIn];
    }
    case 'SignOut': {
      if (!state.signedIn) throw refuse('AGENT_NOT_SIGNED_IN', 'the agent is not signed in');
      if (state.currentCallId) throw refuse('AGENT_ON_CALL', 'the agent is talking: hang up before signing out');
      const signedOut: AgentEvent = { type: 'agent.signed-out', data: { agentId } };
      // Signing out signs both phones out at the same time.
      return anyPhoneUp(state)
        ? [{ type: 'agent.softphones-unregistered', data: { agentId, reason: 'sign-out' } }, signedOut]
        : [signedOut];
    }
    case 'Register': {
      if (!state.signedIn) throw refuse('AGENT_NOT_SIGNED_IN', 'sign in before registering the softphone');
      assertCanUseWebRtc(state, command.tenant);
      if (command.tenant.softphoneUnifiedAuthentication && state.authMode === 'unified') {
        throw refuse(
          'UNIFIED_AUTHENTICATION_NO_MANUAL_REGISTER',
          'with softphone number unified authentication, an agent in unified mode cannot register manually',
        );
      }
      const { phoneId } = command;
      if (phoneId === 2 && !command.tenant.poolMode) throw new NotFoundError('phone', '2 (phone 2 exists only in pool mode)', 'phoneId');
      const candidates = (phoneId ? [phoneId] : command.tenant.poolMode ? [1, 2] : [1]) as PhoneId[];
      const pending = candidates.filter((id) => state.phones[id] !== 'registered' && state.phones[id] !== 'registering');
      if (pending.length === 0) throw refuse('SOFTPHONE_ALREADY_REGISTERED', 'the softphone is already registered or registering');
      const retry = pending.length === 1 && state.phones[pending[0]] === 'failed';
      const event = registrationOf(
        state,
        command.tenant,
        pending.length === candidates.length && !phoneId ? null : pending[0],
        retry ? 'retry' : 'manual',
      );
      return [event];
    }
    case 'ReportRegistration': {
      const status = state.phones[command.phoneId];
      const data = { agentId, phoneId: command.phoneId };
      if (command.outcome === 'deregistered') {
        if (status !== 'registered') throw refuse('PHONE_NOT_REGISTERED', `phone ${command.phoneId} is not registered`);
        return [{ type: 'agent.softphone-deregistered', data: { ...data, reason: command.reason ?? 'deregistered by the gateway' } }];
      }
      if (status !== 'registering') throw refuse('PHONE_NOT_REGISTERING', `phone ${command.phoneId} is not registering`);
      return command.outcome === 'registered'
        ? [{ type: 'agent.softphone-registered', data }]
        : [{ type: 'agent.softphone-registration-failed', data: { ...data, reason: command.reason ?? 'registration failed' } }];
    }
    case 'UnregisterPhones':
      return anyPhoneUp(state) ? [{ type: 'agent.softphones-unregistered', data: { agentId, reason: command.reason } }] : [];
    case 'ReRegisterOnNewGateways':
      if (!state.signedIn || !anyPhoneUp(state) || !canUseWebRtc(state, command.tenant)) return [];
      return [registrationOf(state, command.tenant, null, 'gateways-changed')];
    case 'ApplyPoolMode':
      // Pool mode on: phone 2 joins a working softphone, on the second gateway. Off: phone 2 is let go.
      if (command.tenant.poolMode) {
        if (!state.signedIn || !anyPhoneUp(state) || isUp(state.phones[2]) || !canUseWebRtc(state, command.tenant)) return [];
        return [registrationOf(state, command.tenant, 2, 'gateways-changed')];
      }
      return isUp(state.phones[2])
        ? [{ type: 'agent.softphone-deregistered', data: { agentId, phoneId: 2, reason: 'CTI pool mode turned off' } }]
        : [];
    case 'StartCall':
      if (state.currentCallId === command.callId) return [];
      return [{ type: 'agent.became-occupied', data: { agentId, callId: command.callId } }];
    case 'EndCall':
      return state.currentCallId === command.callId ? [{ type: 'agent.became-idle', data: { agentId, callId: command.callId } }] : [];
  }
}

function evolve(state: AgentState, event: AgentEvent): AgentState {
  switch (event.type) {
    case 'agent.created':
      return { ...state, agentId: event.data.agentId, softphoneNumber: event.data.softphoneNumber, authMode: event.data.authMode };
    case 'agent.phone-bound':
      return { ...state, boundPhone: { kind: event.data.kind, number: event.data.number } };
    case 'agent.phone-unbound':
      return { ...state, boundPhone: null };
    case 'agent.skill-queues-bound':
      return { ...state, skillQueueIds: event.data.skillQueueIds, hasVoiceRelatedQueue: event.data.voiceRelatedSkillQueueIds.length > 0 };
    case 'agent.auth-mode-changed':
      return { ...state, authMode: event.data.authMode };
    case 'agent.signed-in':
      return { ...state, signedIn: true };
    case 'agent.signed-out':
      return { ...state, signedIn: false };
    case 'agent.softphone-registration-requested': {
      const phones = { ...state.phones };
      for (const phone of event.data.phones) phones[phone.phoneId] = 'registering';
      return { ...state, phones };
    }
    case 'agent.softphone-registered':
      return { ...state, phones: { ...state.phones, [event.data.phoneId]: 'registered' } };
    case 'agent.softphone-registration-failed':
      return { ...state, phones: { ...state.phones, [event.data.phoneId]: 'failed' } };
    case 'agent.softphone-deregistered':
      return { ...state, phones: { ...state.phones, [event.data.phoneId]: 'unregistered' } };
    case 'agent.softphones-unregistered':
      return { ...state, phones: Object.fromEntries(Object.keys(state.phones).map((id) => [id, 'unregistered'])) };
    case 'agent.became-occupied':
      return { ...state, currentCallId: event.data.callId };
    case 'agent.became-idle':
      return { ...state, currentCallId: null };
  }
}

export const agentDecider: Decider<AgentCommand, AgentEvent, AgentState> = { initialState, decide, evolve };

export const agentStream = (agentId: string) => `agent-${agentId}`;
