import type { CallEndReason, CallEvent, CallMedia, MediaState, ScreenShare } from '@softphone/contracts';
import type { Decider } from '@softphone/decider';
import { DomainError, NotFoundError } from '@softphone/errors';
import { pickPhone, registeredPhones, type PhoneId, type PhoneStatus } from '../routing/routing.policy.js';
import { autoAnswerDueAt } from './call-timers.policy.js';

export type MediaChange = Extract<CallEvent, { type: 'call.media-changed' }>['data']['change'];

/** Where a dialed number leads, resolved by the handler from tenant-svc's and agent-svc's events. */
export type InboundRoute =
  | { kind: 'queue'; skillQueueId: string; voiceRelated: boolean }
  | { kind: 'ivr'; ivrId: string; skillQueueId: string; announcementSeconds: number }
  | { kind: 'agent-phone' }
  | { kind: 'unknown' };

/** What call-svc knows of the agent placing a call (from agent-svc's events). */
export interface CallerAgent {
  signedIn: boolean;
  phones: Partial<Record<string, PhoneStatus>>;
}

export type CallCommand = { callId: string } & (
  | { type: 'PlaceCall'; agentId: string; agent: CallerAgent; random: number; from: string; to: string; media: CallMedia; now: string }
  | { type: 'AgentAnswer' }
  | { type: 'CustomerAnswer'; now: string }
  | { type: 'ReceiveCall'; caller: string; dialed: string; media: CallMedia; route: InboundRoute; now: string }
  /** A held call (its number unknown when it arrived) learns where it leads; `final`: the hold is over. */
  | { type: 'ResolveDestination'; route: InboundRoute; final: boolean; now: string }
  | { type: 'Offer'; agentId: string; phoneId: PhoneId; now: string }
  | { type: 'AutoAnswer'; now: string }
  | { type: 'ConfirmMedia'; now: string }
  | { type: 'AnswerGuardExpired'; now: string }
  | { type: 'RingTimeout'; now: string }
  | { type: 'ChangeMedia'; change: MediaChange; screenShare: ScreenShare | null }
  | { type: 'HangUp'; by: 'agent' | 'customer'; now: string }
  | { type: 'AgentUnavailable'; now: string }
);

/** `arrived`: an inbound call held while its number is not known yet. */
export type CallStatus = 'none' | 'arrived' | 'ringing-agent' | 'ringing-customer' | 'queued' | 'offered' | 'talking' | 'ended';

export interface CallState {
  status: CallStatus;
  direction: 'inbound' | 'outbound';
  agentId: string | null;
  phoneId: PhoneId | null;
  skillQueueId: string | null;
  announcementEndsAt: string | null;
  media: MediaState;
  startedAt: string | null;
  connectedAt: string | null;
  answeredBy: 'auto-answer' | 'customer' | null;
  mediaConfirmed: boolean;
}

const initialState: CallState = {
  status: 'none',
  direction: 'inbound',
  agentId: null,
  phoneId: null,
  skillQueueId: null,
  announcementEndsAt: null,
  media: { mode: 'voice', muted: false, cameraOn: false, screenShare: null },
  startedAt: null,
  connectedAt: null,
  answeredBy: null,
  mediaConfirmed: false,
};

const refuse = (code: string, message: string) => new DomainError(code, message);
const seconds = (from: string | null, to: string) => (from ? Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 10) / 100) : 0);

/** The media state after a change, or the rule it breaks. Zoom, hide and fullscreen are the client's own. */
function applyChange(media: MediaState, change: MediaChange, share: ScreenShare | null): MediaState {
  const video = media.mode === 'video';
  const needVideo = () => {
    if (!video) throw refuse('NOT_A_VIDEO_CALL', `${change} needs a video call: switch to video first`);
  };
  switch (change) {
    case 'switched-to-video':
      if (video) throw refuse('ALREADY_VIDEO', 'the call is already a video call');
      return { ...media, mode: 'video', cameraOn: true };
    case 'switched-to-voice':
      if (!video) throw refuse('ALREADY_VOICE', 'the call is already a voice call');
      return { ...media, mode: 'voice', cameraOn: false, screenShare: null };
    case 'muted':
      if (media.muted) throw refuse('ALREADY_MUTED', 'the microphone is already muted');
      return { ...media, muted: true };
    case 'unmuted':
      if (!media.muted) throw refuse('NOT_MUTED', 'the microphone is not muted');
      return { ...media, muted: false };
    case 'camera-off':
      needVideo();
      if (!media.cameraOn) throw refuse('CAMERA_ALREADY_OFF', 'the camera is already off');
      return { ...media, cameraOn: false };
    case 'camera-on':
      needVideo();
      if (media.cameraOn) throw refuse('CAMERA_ALREADY_ON', 'the camera is already on');
      return { ...media, cameraOn: true };
    case 'screen-share-started':
      needVideo();
      if (!share)
        throw new DomainError('SCREEN_SHARE_AREA_REQUIRED', 'say what to share: screen, window or tab', {
          status: 422,
          field: 'screenShare',
        });
      if (media.screenShare) throw refuse('ALREADY_SHARING', `already sharing a ${media.screenShare}: stop sharing first`);
      return { ...media, screenShare: share };
    case 'screen-share-stopped':
      if (!media.screenShare) throw refuse('NOT_SHARING', 'nothing is being shared');
      return { ...media, screenShare: null };
  }
}

function decide(command: CallCommand, state: CallState): CallEvent[] {
  const { callId } = command;
  if (command.type === 'PlaceCall' || command.type === 'ReceiveCall') {
    if (state.status !== 'none') throw refuse('CALL_ALREADY_EXISTS', `call ${callId} already exists`);
  } else if (state.status === 'none') {
    throw new NotFoundError('call', callId);
  }
  switch (command.type) {
    case 'PlaceCall': {
      const { agentId, agent, from, to, media, now } = command;
      // Guide: "A WebRTC phone can make outbound calls only when it is registered and the agent has signed in."
      if (!agent.signedIn) throw refuse('AGENT_NOT_SIGNED_IN', 'sign in before making a call');
      if (registeredPhones(agent.phones).length === 0) {
        throw refuse('SOFTPHONE_NOT_REGISTERED', 'the WebRTC phone makes calls only when registered');
      }
      const phoneId = pickPhone(agent.phones, command.random);
      return [{ type: 'call.placed', data: { callId, agentId, phoneId, from, to, media, at: now } }];
    }
    case 'AgentAnswer':
      if (state.status !== 'ringing-agent') throw refuse('CALL_NOT_RINGING_AGENT', "the agent's phone is not ringing for this call");
      return [{ type: 'call.agent-answered', data: { callId, agentId: state.agentId! } }];
    case 'CustomerAnswer':
      if (state.status !== 'ringing-customer')
        throw refuse('CALL_NOT_RINGING_CUSTOMER', "the customer's phone is not ringing: the agent answers first");
      return [connected(callId, state, 'customer', command.now)];
    case 'ReceiveCall': {
      const { caller, dialed, media, route, now } = command;
      const arrived: CallEvent = { type: 'call.arrived', data: { callId, caller, dialed, media, at: now } };
      return [arrived, ...routeTo(callId, { ...state, startedAt: now }, route, false, now)];
    }
    case 'ResolveDestination':
      return state.status === 'arrived' ? routeTo(callId, state, command.route, command.final, command.now) : [];
    case 'Offer':
      if (state.status !== 'queued') throw refuse('CALL_NOT_WAITING', 'only a waiting call can be offered');
      return [
        {
          type: 'call.offered',
          data: {
            callId,
            agentId: command.agentId,
            phoneId: command.phoneId,
            skillQueueId: state.skillQueueId!,
            autoAnswerDueAt: autoAnswerDueAt(command.now, state.announcementEndsAt),
            at: command.now,
          },
        },
      ];
    case 'AutoAnswer':
      // A call hung up (or answered) before its due time is never auto-answered.
      return state.status === 'offered' ? [connected(callId, state, 'auto-answer', command.now)] : [];
    case 'ConfirmMedia':
      if (state.status !== 'talking') throw refuse('CALL_NOT_TALKING', 'media is confirmed on a talking call');
      return awaitingMedia(state) ? [{ type: 'call.media-confirmed', data: { callId, agentId: state.agentId!, at: command.now } }] : [];
    case 'AnswerGuardExpired':
      // Issue 10: "If the agent's softphone does not confirm media within a bound after the auto-answer (default 5 s,
      // tenant parameter), the call is re-queued at its head".
      return awaitingMedia(state) ? [requeued(callId, state, 'agent-not-responding', command.now)] : [];
    case 'RingTimeout':
      // Issue 10: "Same for an outbound call the agent's phone never answers (ring timeout)."
      return state.status === 'ringing-agent' ? [ended(callId, state, 'system', 'ring-timeout', command.now)] : [];
    case 'ChangeMedia':
      if (state.status !== 'talking') throw refuse('CALL_NOT_TALKING', 'media can only change during a talking call');
      return [
        {
          type: 'call.media-changed',
          data: { callId, change: command.change, media: applyChange(state.media, command.change, command.screenShare) },
        },
      ];
    case 'HangUp':
      if (state.status === 'ended') throw refuse('CALL_ALREADY_ENDED', 'the call is already over');
      if (command.by === 'agent' && !state.agentId) throw refuse('CALL_NOT_WITH_AGENT', 'the call has no agent yet');
      return [ended(callId, state, command.by, WAITING.includes(state.status) ? 'abandoned' : 'hang-up', command.now)];
    case 'AgentUnavailable':
      // The agent signed out or lost the phone the call rings on before it could take it. Issue 10: a customer's
      // call "goes back to the head of its queue and is offered to the next eligible agent"; an outbound call ends.
      if (state.status === 'offered' || awaitingMedia(state)) return [requeued(callId, state, 'agent-unavailable', command.now)];
      return RINGING.includes(state.status) ? [ended(callId, state, 'system', 'agent-unavailable', command.now)] : [];
  }
}

/** A caller still waiting for an agent (held while its number is looked up, or queued). */
const WAITING: CallStatus[] = ['arrived', 'queued'];
/** An outbound call ringing the agent's or the customer's phone. */
const RINGING: CallStatus[] = ['ringing-agent', 'ringing-customer'];

/** An auto-answered call whose agent's softphone has not confirmed media yet. */
const awaitingMedia = (state: CallState) => state.status === 'talking' && state.answeredBy === 'auto-answer' && !state.mediaConfirmed;

/** Where an inbound call goes once its dialed number is known (`final`: an unknown number is held no longer). */
function routeTo(callId: string, state: CallState, route: InboundRoute, final: boolean, now: string): CallEvent[] {
  const disconnect = (reason: CallEndReason) => [ended(callId, state, 'system', reason, now)];
  switch (route.kind) {
    case 'queue':
      // Issue 10: "A call to the access code of a queue that is not voice-related is disconnected with its reason".
      if (!route.voiceRelated) return disconnect('not-a-voice-queue');
      return [
        {
          type: 'call.queued',
          data: { callId, skillQueueId: route.skillQueueId, via: 'access-code', ivrId: null, announcementEndsAt: null },
        },
      ];
    case 'ivr': {
      const announcementEndsAt = new Date(Date.parse(now) + route.announcementSeconds * 1000).toISOString();
      return [
        { type: 'call.queued', data: { callId, skillQueueId: route.skillQueueId, via: 'ivr', ivrId: route.ivrId, announcementEndsAt } },
      ];
    }
    case 'agent-phone':
      // Guide: "If a user directly makes a call to an idle phone, the call is directly disconnected."
      return disconnect('direct-call-to-agent-phone');
    case 'unknown':
      // Issue 10: "an unknown destination is held briefly (bounded, e.g. 5 s) before it is disconnected".
      return final ? disconnect('unknown-destination') : [];
  }
}

function requeued(callId: string, state: CallState, reason: 'agent-unavailable' | 'agent-not-responding', now: string): CallEvent {
  return {
    type: 'call.requeued',
    data: { callId, agentId: state.agentId!, skillQueueId: state.skillQueueId!, reason, at: now },
  };
}

function ended(callId: string, state: CallState, endedBy: 'agent' | 'customer' | 'system', reason: CallEndReason, now: string): CallEvent {
  return {
    type: 'call.ended',
    data: {
      callId,
      agentId: state.agentId,
      direction: state.direction,
      endedBy,
      reason,
      talkSeconds: seconds(state.connectedAt, now),
      totalSeconds: seconds(state.startedAt, now),
    },
  };
}

function connected(callId: string, state: CallState, answeredBy: 'auto-answer' | 'customer', now: string): CallEvent {
  return {
    type: 'call.connected',
    data: {
      callId,
      agentId: state.agentId!,
      phoneId: state.phoneId!,
      direction: state.direction,
      answeredBy,
      media: state.media.mode,
      at: now,
    },
  };
}

function evolve(state: CallState, event: CallEvent): CallState {
  switch (event.type) {
    case 'call.placed':
      return {
        ...state,
        status: 'ringing-agent',
        direction: 'outbound',
        agentId: event.data.agentId,
        phoneId: event.data.phoneId,
        media: { ...state.media, mode: event.data.media, cameraOn: event.data.media === 'video' },
        startedAt: event.data.at,
      };
    case 'call.agent-answered':
      return { ...state, status: 'ringing-customer' };
    case 'call.arrived':
      return {
        ...state,
        status: 'arrived',
        direction: 'inbound',
        media: { ...state.media, mode: event.data.media, cameraOn: event.data.media === 'video' },
        startedAt: event.data.at,
      };
    case 'call.queued':
      return { ...state, status: 'queued', skillQueueId: event.data.skillQueueId, announcementEndsAt: event.data.announcementEndsAt };
    case 'call.offered':
      return { ...state, status: 'offered', agentId: event.data.agentId, phoneId: event.data.phoneId };
    case 'call.connected':
      return { ...state, status: 'talking', connectedAt: event.data.at, answeredBy: event.data.answeredBy, mediaConfirmed: false };
    case 'call.media-confirmed':
      return { ...state, mediaConfirmed: true };
    case 'call.requeued':
      return { ...state, status: 'queued', agentId: null, phoneId: null, connectedAt: null, answeredBy: null, mediaConfirmed: false };
    case 'call.media-changed':
      return { ...state, media: event.data.media };
    case 'call.ended':
      return { ...state, status: 'ended' };
    default:
      return state;
  }
}

export const callDecider: Decider<CallCommand, CallEvent, CallState> = { initialState, decide, evolve };

export const callStream = (callId: string) => `call-${callId}`;
