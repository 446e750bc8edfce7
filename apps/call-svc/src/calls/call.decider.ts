import type { CallEndReason, CallEvent, CallMedia, MediaState, ScreenShare } from '@softphone/contracts';
import type { Decider } from '@softphone/decider';
import { DomainError, NotFoundError } from '@softphone/errors';

export type PhoneId = 1 | 2;
export type MediaChange = Extract<CallEvent, { type: 'call.media-changed' }>['data']['change'];

/** Where an inbound call goes, resolved by the handler from tenant-svc's and agent-svc's events. */
export type InboundRoute =
  | { kind: 'queue'; skillQueueId: string }
  | { kind: 'ivr'; ivrId: string; skillQueueId: string; announcementEndsAt: string }
  | { kind: 'agent-phone' }
  | { kind: 'unknown' };

export type CallCommand = { callId: string } & (
  | { type: 'PlaceCall'; agentId: string; phoneId: PhoneId; from: string; to: string; media: CallMedia; now: string }
  | { type: 'AgentAnswer' }
  | { type: 'CustomerAnswer'; now: string }
  | { type: 'ReceiveCall'; caller: string; dialed: string; media: CallMedia; route: InboundRoute; now: string }
  | { type: 'Offer'; agentId: string; phoneId: PhoneId; autoAnswerDueAt: string; now: string }
  | { type: 'AutoAnswer'; now: string }
  | { type: 'ChangeMedia'; change: MediaChange; screenShare: ScreenShare | null }
  | { type: 'HangUp'; by: 'agent' | 'customer'; now: string }
  | { type: 'AgentUnavailable'; now: string }
);

export type CallStatus = 'none' | 'ringing-agent' | 'ringing-customer' | 'queued' | 'offered' | 'talking' | 'ended';

export interface CallState {
  status: CallStatus;
  direction: 'inbound' | 'outbound';
  agentId: string | null;
  phoneId: PhoneId | null;
  skillQueueId: string | null;
  media: MediaState;
  startedAt: string | null;
  connectedAt: string | null;
}

const initialState: CallState = {
  status: 'none',
  direction: 'inbound',
  agentId: null,
  phoneId: null,
  skillQueueId: null,
  media: { mode: 'voice', muted: false, cameraOn: false, screenShare: null },
  startedAt: null,
  connectedAt: null,
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
      const { agentId, phoneId, from, to, media, now } = command;
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
      const ended = (reason: 'direct-call-to-agent-phone' | 'unknown-destination'): CallEvent => ({
        type: 'call.ended',
        data: { callId, agentId: null, direction: 'inbound', endedBy: 'system', reason, talkSeconds: 0, totalSeconds: 0 },
      });
      switch (route.kind) {
        case 'queue':
          return [
            arrived,
            {
              type: 'call.queued',
              data: { callId, skillQueueId: route.skillQueueId, via: 'access-code', ivrId: null, announcementEndsAt: null },
            },
          ];
        case 'ivr':
          return [
            arrived,
            {
              type: 'call.queued',
              data: {
                callId,
                skillQueueId: route.skillQueueId,
                via: 'ivr',
                ivrId: route.ivrId,
                announcementEndsAt: route.announcementEndsAt,
              },
            },
          ];
        case 'agent-phone':
          // The guide: a call made directly to an idle phone is disconnected.
          return [arrived, ended('direct-call-to-agent-phone')];
        case 'unknown':
          return [arrived, ended('unknown-destination')];
      }
      break;
    }
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
            autoAnswerDueAt: command.autoAnswerDueAt,
            at: command.now,
          },
        },
      ];
    case 'AutoAnswer':
      // A call hung up (or answered) before its due time is never auto-answered.
      return state.status === 'offered' ? [connected(callId, state, 'auto-answer', command.now)] : [];
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
      return [ended(callId, state, command.by, state.status === 'queued' ? 'abandoned' : 'hang-up', command.now)];
    case 'AgentUnavailable':
      // The agent signed out or lost the phone the call rings on before it was talking: nobody can answer it.
      return NOT_YET_TALKING.includes(state.status) ? [ended(callId, state, 'system', 'agent-unavailable', command.now)] : [];
  }
}

/** The states in which a call waits for its agent's phone (ringing, or offered until the auto-answer). */
const NOT_YET_TALKING: CallStatus[] = ['ringing-agent', 'ringing-customer', 'offered'];

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
        direction: 'inbound',
        media: { ...state.media, mode: event.data.media, cameraOn: event.data.media === 'video' },
        startedAt: event.data.at,
      };
    case 'call.queued':
      return { ...state, status: 'queued', skillQueueId: event.data.skillQueueId };
    case 'call.offered':
      return { ...state, status: 'offered', agentId: event.data.agentId, phoneId: event.data.phoneId };
    case 'call.connected':
      return { ...state, status: 'talking', connectedAt: event.data.at };
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
