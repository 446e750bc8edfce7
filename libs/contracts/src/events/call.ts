import { z } from 'zod';
import { CallMedia, Id, NotRespondingReason, PhoneNumber, ScreenShare, Timestamp } from '../common.js';
import { defineEvent, defineInternalEvent, type EventOf } from '../define-event.js';
import { PhoneId } from './agent.js';

const call = <T extends string, D extends z.ZodType>(type: T, description: string, data: D) =>
  defineEvent('call', type, 1, description, data);

export const MediaState = z.object({
  mode: CallMedia,
  muted: z.boolean(),
  cameraOn: z.boolean(),
  screenShare: ScreenShare.nullable(),
});
export type MediaState = z.infer<typeof MediaState>;

export const MediaChange = z.enum([
  'switched-to-video',
  'switched-to-voice',
  'muted',
  'unmuted',
  'camera-off',
  'camera-on',
  'screen-share-started',
  'screen-share-stopped',
]);

export const CallEndReason = z.enum([
  'hang-up',
  'abandoned',
  'direct-call-to-agent-phone',
  'unknown-destination',
  'webrtc-unavailable',
  'agent-unavailable',
  'not-a-voice-queue',
  'ring-timeout',
]);
export type CallEndReason = z.infer<typeof CallEndReason>;

/** Why a call an agent could not take went back to its queue. */
export const RequeueReason = z.enum(['agent-unavailable', 'agent-not-responding']);

export const callEvents = {
  placed: call(
    'call.placed',
    "Outbound: the agent placed a call; the agent's phone (random one in pool mode) rings first.",
    z.object({ callId: Id, agentId: Id, phoneId: PhoneId, from: PhoneNumber, to: PhoneNumber, media: CallMedia, at: Timestamp }),
  ),
  agentAnswered: call(
    'call.agent-answered',
    "Outbound: the agent answered their ringing phone; the customer's phone rings.",
    z.object({ callId: Id, agentId: Id }),
  ),
  arrived: call(
    'call.arrived',
    'Inbound: a call reached the tenant at the number the caller dialed.',
    z.object({ callId: Id, caller: PhoneNumber, dialed: PhoneNumber, media: CallMedia, at: Timestamp }),
  ),
  queued: call(
    'call.queued',
    'Inbound: the call waits in a skill queue (directly by its access code, or after an IVR).',
    z.object({
      callId: Id,
      skillQueueId: Id,
      via: z.enum(['access-code', 'ivr']),
      ivrId: Id.nullable(),
      announcementEndsAt: Timestamp.nullable(),
    }),
  ),
  offered: call(
    'call.offered',
    'Inbound: the call was offered to an idle agent; it is auto-answered at autoAnswerDueAt.',
    z.object({
      callId: Id,
      agentId: Id,
      phoneId: PhoneId,
      skillQueueId: Id,
      autoAnswerDueAt: Timestamp,
      at: Timestamp,
    }),
  ),
  connected: call(
    'call.connected',
    'The call is talking: the agent is occupied. Inbound: auto-answered; outbound: the customer answered.',
    z.object({
      callId: Id,
      agentId: Id,
      phoneId: PhoneId,
      direction: z.enum(['inbound', 'outbound']),
      answeredBy: z.enum(['auto-answer', 'customer']),
      media: CallMedia,
      at: Timestamp,
    }),
  ),
  mediaChanged: call(
    'call.media-changed',
    'A media change during the call, with the complete media state after it.',
    z.object({ callId: Id, change: MediaChange, media: MediaState }),
  ),
  ended: call(
    'call.ended',
    'The call is over. talkSeconds counts from connected; totalSeconds from placed/arrived.',
    z.object({
      callId: Id,
      agentId: Id.nullable(),
      direction: z.enum(['inbound', 'outbound']),
      endedBy: z.enum(['agent', 'customer', 'system']),
      reason: CallEndReason,
      talkSeconds: z.number().min(0),
      totalSeconds: z.number().min(0),
    }),
  ),
  mediaConfirmed: call(
    'call.media-confirmed',
    "The agent's softphone confirmed that media flows on an auto-answered call (the auto-answer guard is satisfied).",
    z.object({ callId: Id, agentId: Id, at: Timestamp }),
  ),
  requeued: call(
    'call.requeued',
    'Inbound: the agent could not take the call (unavailable, or its softphone never confirmed media); it waits again at the head of its queue.',
    z.object({ callId: Id, agentId: Id, skillQueueId: Id, reason: RequeueReason, at: Timestamp }),
  ),
  agentWrapUpStarted: call(
    'call.agent-wrap-up-started',
    "After-call work: the agent's call ended and the agent is not routable until `until` (the tenant's wrap-up time) or until it ends wrap-up early.",
    z.object({ agentId: Id, callId: Id, until: Timestamp }),
  ),
  agentWrapUpEnded: call(
    'call.agent-wrap-up-ended',
    'Wrap-up is over (its time is up, or the agent or an admin ended it early): the agent is routable again.',
    z.object({ agentId: Id, callId: Id, endedBy: z.enum(['timer', 'agent', 'admin']) }),
  ),
  agentNotResponding: call(
    'call.agent-not-responding',
    "The agent's softphone did not confirm media after an auto-answer, or never answered an outbound call: not routable until made available again.",
    z.object({ agentId: Id, callId: Id, reason: NotRespondingReason }),
  ),
  agentMadeAvailable: call(
    'call.agent-made-available',
    'The agent (or an admin) made a not-responding agent available again: it is routable.',
    z.object({ agentId: Id, by: z.enum(['agent', 'admin']) }),
  ),
  agentLineReserved: defineInternalEvent(
    'call',
    'call.agent-line-reserved',
    "call-svc's own claim on an agent for one call (no second call is ever offered to the agent).",
    z.object({ agentId: Id, callId: Id }),
  ),
  agentLineReleased: defineInternalEvent(
    'call',
    'call.agent-line-released',
    'The claim on the agent ended with the call (or the call went back to its queue).',
    z.object({ agentId: Id, callId: Id }),
  ),
};

export type CallEvent = EventOf<typeof callEvents>;
