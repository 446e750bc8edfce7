import {
  VOICE_RELATED_MEDIA_TYPES,
  type AgentEvent,
  type AuthMode,
  type NotRespondingReason,
  type SkillQueueMediaType,
} from '@softphone/contracts';
import type { Decider } from '@softphone/decider';
import { DomainError, NotFoundError } from '@softphone/errors';
import type { AvailabilityFacts } from '../availability/availability.policy.js';
import {
  assertCanUseWebRtc,
  canUseWebRtc,
  holdsAnyPhone,
  holdsPhone,
  isWorking,
  layoutPhones,
  registrationOf,
  type TenantFacts,
} from '../registration/registration.policy.js';

export type { TenantFacts } from '../registration/registration.policy.js';
export type PhoneId = 1 | 2;
/** `failed` and `deregistered` are failures (the guide shows one failure indicator for both); `unregistered` is signed out. */
export type PhoneStatus = 'unregistered' | 'registering' | 'registered' | 'failed' | 'deregistered';

export type AgentCommand = { agentId: string } & (
  | {
      type: 'CreateAgent';
      orgUnitId: string;
      name: string;
      workNumber: string;
      softphoneNumber: string;
      authMode: AuthMode;
      /** Facts: the org unit exists in the agent's tenant; another agent of the tenant has the work number. */
      orgUnitExists: boolean;
      workNumberTaken: boolean;
    }
  | { type: 'BindPhone'; kind: 'fixed-line' | 'mobile'; number: string }
  | { type: 'UnbindPhone' }
  /** Fact: the media type of each queue of the tenant that agent-svc knows (an id missing from it is unknown). */
  | { type: 'BindSkillQueues'; skillQueueIds: string[]; mediaTypes: Record<string, SkillQueueMediaType> }
  | { type: 'ChangeAuthMode'; authMode: AuthMode }
  | { type: 'SignIn'; tenant: TenantFacts; credentialId: string }
  | { type: 'SignOut' }
  | { type: 'Register'; tenant: TenantFacts; phoneId: PhoneId | null; credentialId: string }
  | { type: 'ReportRegistration'; phoneId: PhoneId; outcome: 'registered' | 'failed' | 'deregistered'; reason: string | null }
  | { type: 'UnregisterPhones'; reason: 'webrtc-disabled' | 'tenant-suspended' }
  | { type: 'ReRegisterOnNewGateways'; tenant: TenantFacts; credentialId: string }
  | { type: 'ApplyPoolMode'; tenant: TenantFacts; credentialId: string }
  /** WebRTC enabled (again) or the tenant resumed: a signed-in agent registers without doing anything. */
  | { type: 'RegisterAutomatically'; tenant: TenantFacts; trigger: 'webrtc-enabled' | 'tenant-resumed'; credentialId: string }
  | { type: 'RingCall'; callId: string }
  | { type: 'StartCall'; callId: string }
  | { type: 'EndCall'; callId: string }
  | { type: 'StartWrapUp'; callId: string; until: string }
  | { type: 'EndWrapUp'; callId: string }
  | { type: 'MarkNotResponding'; callId: string; reason: NotRespondingReason }
  | { type: 'MarkAvailable' }
  | { type: 'Heartbeat'; at: string }
  | { type: 'MarkUnreachable'; lastHeartbeatAt: string }
);

export interface AgentState extends AvailabilityFacts {
  agentId: string | null;
  softphoneNumber: string;
  authMode: AuthMode;
  boundPhone: { kind: 'fixed-line' | 'mobile'; number: string } | null;
  skillQueueIds: string[];
  hasVoiceRelatedQueue: boolean;
  signedIn: boolean;
  /** Each phone that has been registered (phone 2 only in pool mode; one let go when pool mode ends is deregistered). */
  phones: Partial<Record<PhoneId, PhoneStatus>>;
  /** Why a failed or deregistered phone is down. */
  phoneFailures: Partial<Record<PhoneId, string>>;
  /** What the phones' shared password derives from (null: no registration since sign-in). */
  credentialId: string | null;
  /** Heartbeats since sign-in: the softphone is watched from its first one; `since`: the heartbeat that made it reachable. */
  heartbeat: { watched: boolean; since: string | null };
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
  phoneFailures: {},
  credentialId: null,
  call: null,
  wrapUp: null,
  notResponding: null,
  softphoneReachable: true,
  heartbeat: { watched: false, since: null },
};

const refuse = (code: string, message: string) => new DomainError(code, message);

/** An agent who may no longer use the WebRTC phone (bound to a phone, no voice-related queue) loses its phones at once. */
const unregisterIfUp = (state: AgentState, agentId: string): AgentEvent[] =>
  holdsAnyPhone(state) ? [{ type: 'agent.softphones-unregistered', data: { agentId, reason: 'no-longer-eligible' } }] : [];

function decide(command: AgentCommand, state: AgentState): AgentEvent[] {
  const { agentId } = command;
  if (command.type === 'CreateAgent') return create(command, state);
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
      return bindSkillQueues(command, state);
    case 'ChangeAuthMode':
      return command.authMode === state.authMode
        ? []
        : [{ type: 'agent.auth-mode-changed', data: { agentId, authMode: command.authMode } }];
    case 'SignIn': {
      if (state.signedIn) throw refuse('AGENT_ALREADY_SIGNED_IN', 'the agent is already signed in');
      if (command.tenant.status !== 'normal') throw refuse('TENANT_SUSPENDED', 'the tenant is suspended');
      const signedIn: AgentEvent = { type: 'agent.signed-in', data: { agentId } };
      // Guide: "After you click Sign In, the softphone is automatically registered." (for an agent who may use it)
      return canUseWebRtc(state, command.tenant)
        ? [signedIn, registrationOf(state, command.tenant, layoutPhones(command.tenant), 'sign-in', command.credentialId)]
        : [signedIn];
    }
    case 'SignOut': {
      if (!state.signedIn) throw refuse('AGENT_NOT_SIGNED_IN', 'the agent is not signed in');
      if (state.call?.phase === 'talking') throw refuse('AGENT_ON_CALL', 'the agent is talking: hang up before signing out');
      const signedOut: AgentEvent = { type: 'agent.signed-out', data: { agentId } };
      // Guide: "When you sign out, the two phones sign out at the same time."
      return holdsAnyPhone(state)
        ? [{ type: 'agent.softphones-unregistered', data: { agentId, reason: 'sign-out' } }, signedOut]
        : [signedOut];
    }
    case 'Register':
      return register(command, state);
    case 'ReportRegistration':
      return reportRegistration(command, state);
    case 'UnregisterPhones':
      return holdsAnyPhone(state) ? [{ type: 'agent.softphones-unregistered', data: { agentId, reason: command.reason } }] : [];
    case 'ReRegisterOnNewGateways':
      if (!state.signedIn || !holdsAnyPhone(state) || !canUseWebRtc(state, command.tenant)) return [];
      return [registrationOf(state, command.tenant, layoutPhones(command.tenant), 'gateways-changed', command.credentialId)];
    case 'ApplyPoolMode':
      // Pool mode on: phone 2 joins a working softphone, on the second gateway, with phone 1's password. Off: phone 2 is let go.
      if (command.tenant.poolMode) {
        if (!state.signedIn || !holdsAnyPhone(state) || holdsPhone(state.phones[2]) || !canUseWebRtc(state, command.tenant)) return [];
        return [registrationOf(state, command.tenant, [2], 'gateways-changed', command.credentialId)];
      }
      return holdsPhone(state.phones[2])
        ? [{ type: 'agent.softphone-deregistered', data: { agentId, phoneId: 2, reason: 'CTI pool mode turned off' } }]
        : [];
    case 'RegisterAutomatically':
      // Issue 10: "after a suspended tenant is resumed or WebRTC is enabled again, signed-in agents are registered automatically".
      if (!state.signedIn || Object.values(state.phones).some(isWorking) || !canUseWebRtc(state, command.tenant)) return [];
      return [registrationOf(state, command.tenant, layoutPhones(command.tenant), command.trigger, command.credentialId)];
    default:
      return decideAvailability(command, state);
  }
}

function create(command: Extract<AgentCommand, { type: 'CreateAgent' }>, state: AgentState): AgentEvent[] {
  const { agentId, orgUnitId, name, workNumber, softphoneNumber, authMode } = command;
  if (state.agentId) throw refuse('AGENT_ALREADY_EXISTS', `agent ${agentId} already exists`);
  // Issue 10: "Creating an agent in another tenant's org unit, or in one that does not exist, is 404".
  if (!command.orgUnitExists) throw new NotFoundError('org unit', orgUnitId, 'orgUnitId');
  if (command.workNumberTaken) {
    throw new DomainError('WORK_NUMBER_TAKEN', `work number ${workNumber} is another agent's`, { field: 'workNumber' });
  }
  return [{ type: 'agent.created', data: { agentId, orgUnitId, name, workNumber, softphoneNumber, authMode } }];
}

function bindSkillQueues(command: Extract<AgentCommand, { type: 'BindSkillQueues' }>, state: AgentState): AgentEvent[] {
  const { agentId, skillQueueIds, mediaTypes } = command;
  const unknown = skillQueueIds.find((id) => !mediaTypes[id]);
  if (unknown) {
    throw new DomainError('SKILL_QUEUE_NOT_FOUND', `skill queue ${unknown} does not exist in the tenant`, {
      status: 422,
      field: 'skillQueueIds',
    });
  }
  if (JSON.stringify([...skillQueueIds].sort()) === JSON.stringify([...state.skillQueueIds].sort())) return [];
  // Guide: "voice-related skill queues (including voice, video, voice click-to-dial, and video click-to-dial skill queues)".
  const voiceRelatedSkillQueueIds = skillQueueIds.filter((id) => VOICE_RELATED_MEDIA_TYPES.includes(mediaTypes[id]));
  return [
    { type: 'agent.skill-queues-bound', data: { agentId, skillQueueIds, voiceRelatedSkillQueueIds } },
    ...(voiceRelatedSkillQueueIds.length === 0 ? unregisterIfUp(state, agentId) : []),
  ];
}

function register(command: Extract<AgentCommand, { type: 'Register' }>, state: AgentState): AgentEvent[] {
  if (!state.signedIn) throw refuse('AGENT_NOT_SIGNED_IN', 'sign in before registering the softphone');
  assertCanUseWebRtc(state, command.tenant);
  // Guide: "If the softphone number unified authentication feature is enabled for the tenant and Authentication Mode
  // is set to Unified authentication for the agent, the agent cannot click to perform registration."
  if (command.tenant.softphoneUnifiedAuthentication && state.authMode === 'unified') {
    throw refuse(
      'UNIFIED_AUTHENTICATION_NO_MANUAL_REGISTER',
      'with softphone number unified authentication, an agent in unified mode cannot register manually',
    );
  }
  const { phoneId, tenant } = command;
  if (phoneId === 2 && !tenant.poolMode) throw new NotFoundError('phone', '2 (phone 2 exists only in pool mode)', 'phoneId');
  const candidates = phoneId ? [phoneId] : layoutPhones(tenant);
  const pending = candidates.filter((id) => !isWorking(state.phones[id]));
  if (pending.length === 0) throw refuse('SOFTPHONE_ALREADY_REGISTERED', 'the softphone is already registered or registering');
  // Guide: "If either of them fails, you can click the phone to register again."
  const retry = pending.length === 1 && state.phones[pending[0]] === 'failed';
  return [registrationOf(state, tenant, pending, retry ? 'retry' : 'manual', command.credentialId)];
}

function reportRegistration(command: Extract<AgentCommand, { type: 'ReportRegistration' }>, state: AgentState): AgentEvent[] {
  const { agentId, phoneId } = command;
  const status = state.phones[phoneId];
  if (command.outcome === 'deregistered') {
    if (status !== 'registered') throw refuse('PHONE_NOT_REGISTERED', `phone ${phoneId} is not registered`);
    return [{ type: 'agent.softphone-deregistered', data: { agentId, phoneId, reason: command.reason ?? 'deregistered by the gateway' } }];
  }
  if (status !== 'registering') throw refuse('PHONE_NOT_REGISTERING', `phone ${phoneId} is not registering`);
  return command.outcome === 'registered'
    ? [{ type: 'agent.softphone-registered', data: { agentId, phoneId } }]
    : [{ type: 'agent.softphone-registration-failed', data: { agentId, phoneId, reason: command.reason ?? 'registration failed' } }];
}

/** The agent's calls, wrap-up and not-responding (facts from call-svc), and its softphone's heartbeats. */
function decideAvailability(command: AgentCommand, state: AgentState): AgentEvent[] {
  const { agentId } = command;
  switch (command.type) {
    case 'RingCall':
      return state.call?.callId === command.callId ? [] : [{ type: 'agent.became-ringing', data: { agentId, callId: command.callId } }];
    case 'StartCall':
      if (state.call?.callId === command.callId && state.call.phase === 'talking') return [];
      return [{ type: 'agent.became-occupied', data: { agentId, callId: command.callId } }];
    case 'EndCall':
      return state.call?.callId === command.callId ? [{ type: 'agent.became-idle', data: { agentId, callId: command.callId } }] : [];
    case 'StartWrapUp':
      if (state.wrapUp?.callId === command.callId) return [];
      return [{ type: 'agent.wrap-up-started', data: { agentId, callId: command.callId, until: command.until } }];
    case 'EndWrapUp':
      return state.wrapUp?.callId === command.callId ? [{ type: 'agent.wrap-up-ended', data: { agentId, callId: command.callId } }] : [];
    case 'MarkNotResponding':
      if (state.notResponding?.callId === command.callId) return [];
      return [{ type: 'agent.became-not-responding', data: { agentId, callId: command.callId, reason: command.reason } }];
    case 'MarkAvailable':
      return state.notResponding ? [{ type: 'agent.made-available', data: { agentId } }] : [];
    case 'Heartbeat':
      // Called for a heartbeat the heartbeat store saw as a transition: the first since sign-in (the watch begins), or one
      // after the softphone was found stale ("comes back by itself on the next heartbeat"). Recorded even when the stale
      // mark is not committed yet, so that mark, committed later, is recognised as older and dropped.
      if (!state.signedIn) throw refuse('AGENT_NOT_SIGNED_IN', 'a signed-out agent has no softphone to watch');
      if (state.heartbeat.since === command.at) return [];
      return [{ type: 'agent.softphone-reachable', data: { agentId, heartbeatAt: command.at } }];
    case 'MarkUnreachable': {
      if (!state.signedIn || !state.heartbeat.watched || !state.softphoneReachable) return [];
      // A heartbeat recorded after the one that went stale (the two orders of a late sweep and a new heartbeat): still reachable.
      const since = state.heartbeat.since;
      if (since && Date.parse(since) > Date.parse(command.lastHeartbeatAt)) return [];
      return [{ type: 'agent.softphone-unreachable', data: { agentId, lastHeartbeatAt: command.lastHeartbeatAt } }];
    }
    default:
      return [];
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
      return { ...state, signedIn: false, credentialId: null, softphoneReachable: true, heartbeat: { watched: false, since: null } };
    case 'agent.softphone-registration-requested': {
      const phones = { ...state.phones };
      const phoneFailures = { ...state.phoneFailures };
      for (const phone of event.data.phones) {
        phones[phone.phoneId] = 'registering';
        delete phoneFailures[phone.phoneId];
      }
      return { ...state, phones, phoneFailures, credentialId: event.data.credentialId };
    }
    case 'agent.softphone-registered':
      return { ...state, phones: { ...state.phones, [event.data.phoneId]: 'registered' } };
    case 'agent.softphone-registration-failed':
      return phoneDown(state, event.data.phoneId, 'failed', event.data.reason);
    case 'agent.softphone-deregistered':
      return phoneDown(state, event.data.phoneId, 'deregistered', event.data.reason);
    case 'agent.softphones-unregistered':
      return { ...state, phones: Object.fromEntries(Object.keys(state.phones).map((id) => [id, 'unregistered'])), phoneFailures: {} };
    case 'agent.became-ringing':
      return { ...state, call: { callId: event.data.callId, phase: 'ringing' } };
    case 'agent.became-occupied':
      return { ...state, call: { callId: event.data.callId, phase: 'talking' } };
    case 'agent.became-idle':
      return { ...state, call: null };
    case 'agent.wrap-up-started':
      return { ...state, wrapUp: { callId: event.data.callId, until: event.data.until } };
    case 'agent.wrap-up-ended':
      return { ...state, wrapUp: null };
    case 'agent.became-not-responding':
      return { ...state, notResponding: { callId: event.data.callId, reason: event.data.reason } };
    case 'agent.made-available':
      return { ...state, notResponding: null };
    case 'agent.softphone-reachable':
      return { ...state, softphoneReachable: true, heartbeat: { watched: true, since: event.data.heartbeatAt } };
    case 'agent.softphone-unreachable':
      return { ...state, softphoneReachable: false };
  }
}

function phoneDown(state: AgentState, phoneId: PhoneId, status: 'failed' | 'deregistered', reason: string): AgentState {
  return { ...state, phones: { ...state.phones, [phoneId]: status }, phoneFailures: { ...state.phoneFailures, [phoneId]: reason } };
}

export const agentDecider: Decider<AgentCommand, AgentEvent, AgentState> = { initialState, decide, evolve };

export const agentStream = (agentId: string) => `agent-${agentId}`;
