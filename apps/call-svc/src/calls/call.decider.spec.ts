import { describe, it } from '@jest/globals';
import type { CallEndReason, CallEvent, MediaState } from '@softphone/contracts';
import { deciderSpec } from '@softphone/testing';
import { callDecider, type InboundRoute } from './call.decider.js';

const spec = deciderSpec(callDecider);
const callId = 'c1';
const t0 = '2026-11-24T10:00:00.000Z';
const t5 = '2026-11-24T10:00:05.000Z';
const t65 = '2026-11-24T10:01:05.000Z';
const voice: MediaState = { mode: 'voice', muted: false, cameraOn: false, screenShare: null };
const video: MediaState = { ...voice, mode: 'video', cameraOn: true };

const poolAgent = { signedIn: true, phones: { '1': 'registered', '2': 'registered' } } as const;
const placed: CallEvent = {
  type: 'call.placed',
  data: { callId, agentId: 'a1', phoneId: 2, from: '88001', to: '5550100', media: 'voice', at: t0 },
};
const agentAnswered: CallEvent = { type: 'call.agent-answered', data: { callId, agentId: 'a1' } };
const talkingOut: CallEvent = {
  type: 'call.connected',
  data: { callId, agentId: 'a1', phoneId: 2, direction: 'outbound', answeredBy: 'customer', media: 'voice', at: t5 },
};
const arrived: CallEvent = { type: 'call.arrived', data: { callId, caller: '5550100', dialed: '4001', media: 'voice', at: t0 } };
const queued: CallEvent = {
  type: 'call.queued',
  data: { callId, skillQueueId: 'q1', via: 'access-code', ivrId: null, announcementEndsAt: null },
};
const offered: CallEvent = {
  type: 'call.offered',
  data: { callId, agentId: 'a1', phoneId: 1, skillQueueId: 'q1', autoAnswerDueAt: '2026-11-24T10:00:02.000Z', at: t0 },
};
const changed = (change: Extract<CallEvent, { type: 'call.media-changed' }>['data']['change'], media: MediaState): CallEvent => ({
  type: 'call.media-changed',
  data: { callId, change, media },
});

describe('call decider', () => {
  describe('outbound', () => {
    it("rings the agent's phone first, then the customer's; the customer's answer makes it talking", () => {
      spec
        .given([])
        .when({
          type: 'PlaceCall',
          callId,
          agentId: 'a1',
          agent: poolAgent,
          random: 0.9,
          from: '88001',
          to: '5550100',
          media: 'voice',
          now: t0,
        })
        .then([placed]);
      spec.given([placed]).when({ type: 'AgentAnswer', callId }).then([agentAnswered]);
      spec.given([placed, agentAnswered]).when({ type: 'CustomerAnswer', callId, now: t5 }).then([talkingOut]);
    });
    it('refuses answers out of order', () => {
      spec.given([placed]).when({ type: 'CustomerAnswer', callId, now: t5 }).thenFails('CALL_NOT_RINGING_CUSTOMER');
      spec.given([placed, agentAnswered]).when({ type: 'AgentAnswer', callId }).thenFails('CALL_NOT_RINGING_AGENT');
      spec.given([]).when({ type: 'AgentAnswer', callId }).thenFails('CALL_NOT_FOUND');
      spec
        .given([placed])
        .when({ type: 'PlaceCall', callId, agentId: 'a1', agent: poolAgent, random: 0, from: '1', to: '22', media: 'voice', now: t0 })
        .thenFails('CALL_ALREADY_EXISTS');
    });
  });

  describe('inbound', () => {
    const receive = (route: InboundRoute) =>
      ({ type: 'ReceiveCall', callId, caller: '5550100', dialed: '4001', media: 'voice', route, now: t0 }) as const;
    it('queues a call to an access code or after an IVR', () => {
      spec
        .given([])
        .when(receive({ kind: 'queue', skillQueueId: 'q1', voiceRelated: true }))
        .then([arrived, queued]);
      spec
        .given([])
        .when(receive({ kind: 'ivr', ivrId: 'i1', skillQueueId: 'q1', announcementSeconds: 5 }))
        .then([arrived, { type: 'call.queued', data: { callId, skillQueueId: 'q1', via: 'ivr', ivrId: 'i1', announcementEndsAt: t5 } }]);
    });
    const ended = (reason: CallEndReason, totalSeconds = 0): CallEvent => ({
      type: 'call.ended',
      data: { callId, agentId: null, direction: 'inbound', endedBy: 'system', reason, talkSeconds: 0, totalSeconds },
    });
    it('disconnects a call made directly to an agent phone, and one to an unknown number once the hold is over, with the reason', () => {
      // Guide: "If a user directly makes a call to an idle phone, the call is directly disconnected."
      spec
        .given([])
        .when(receive({ kind: 'agent-phone' }))
        .then([arrived, ended('direct-call-to-agent-phone')]);
      // Issue 10: "an unknown destination is held briefly (bounded, e.g. 5 s) before it is disconnected".
      spec
        .given([])
        .when(receive({ kind: 'unknown' }))
        .then([arrived]);
      spec
        .given([arrived])
        .when({ type: 'ResolveDestination', callId, route: { kind: 'unknown' }, final: true, now: t5 })
        .then([ended('unknown-destination', 5)]);
    });
    it('routes a held call once its number is known, in whichever order the number and the call came', () => {
      const resolve = (route: InboundRoute, final = false) => ({ type: 'ResolveDestination', callId, route, final, now: t5 }) as const;
      // The access code first: routed on arrival.
      spec
        .given([])
        .when(receive({ kind: 'queue', skillQueueId: 'q1', voiceRelated: true }))
        .then([arrived, queued]);
      // The call first: held, then routed when the code arrives, before the hold is over.
      spec
        .given([arrived])
        .when(resolve({ kind: 'unknown' }))
        .then([]);
      spec
        .given([arrived])
        .when(resolve({ kind: 'queue', skillQueueId: 'q1', voiceRelated: true }))
        .then([queued]);
      spec
        .given([arrived])
        .when(resolve({ kind: 'agent-phone' }, true))
        .then([ended('direct-call-to-agent-phone', 5)]);
      // Resolved once: a later resolution changes nothing.
      spec
        .given([arrived, queued])
        .when(resolve({ kind: 'unknown' }, true))
        .then([]);
    });
    it("disconnects a call to a chat or email queue's access code with the reason", () => {
      // Issue 10: "A call to the access code of a queue that is not voice-related is disconnected with its reason, as for IVRs."
      spec
        .given([])
        .when(receive({ kind: 'queue', skillQueueId: 'q-chat', voiceRelated: false }))
        .then([arrived, ended('not-a-voice-queue')]);
    });
    it('offers a waiting call once, and auto-answers it only while offered', () => {
      spec.given([arrived, queued]).when({ type: 'Offer', callId, agentId: 'a1', phoneId: 1, now: t0 }).then([offered]);
      spec
        .given([arrived, queued, offered])
        .when({ type: 'Offer', callId, agentId: 'a2', phoneId: 1, now: t0 })
        .thenFails('CALL_NOT_WAITING');
      spec
        .given([arrived, queued, offered])
        .when({ type: 'AutoAnswer', callId, now: t5 })
        .then([
          {
            type: 'call.connected',
            data: { callId, agentId: 'a1', phoneId: 1, direction: 'inbound', answeredBy: 'auto-answer', media: 'voice', at: t5 },
          },
        ]);
    });
    it('never auto-answers a call hung up before its due time, nor twice', () => {
      const hungUp: CallEvent = {
        type: 'call.ended',
        data: { callId, agentId: 'a1', direction: 'inbound', endedBy: 'customer', reason: 'hang-up', talkSeconds: 0, totalSeconds: 1 },
      };
      spec.given([arrived, queued, offered, hungUp]).when({ type: 'AutoAnswer', callId, now: t5 }).then([]);
      const answered: CallEvent = {
        type: 'call.connected',
        data: { callId, agentId: 'a1', phoneId: 1, direction: 'inbound', answeredBy: 'auto-answer', media: 'voice', at: t5 },
      };
      spec.given([arrived, queued, offered, answered]).when({ type: 'AutoAnswer', callId, now: t5 }).then([]);
    });
    it('a caller who hangs up while waiting abandons the call', () => {
      spec
        .given([arrived, queued])
        .when({ type: 'HangUp', callId, by: 'customer', now: t5 })
        .then([
          {
            type: 'call.ended',
            data: {
              callId,
              agentId: null,
              direction: 'inbound',
              endedBy: 'customer',
              reason: 'abandoned',
              talkSeconds: 0,
              totalSeconds: 5,
            },
          },
        ]);
    });
  });

  describe('media during the call', () => {
    const talking = [placed, agentAnswered, talkingOut];
    it('switches voice to video and back, mutes and unmutes', () => {
      spec
        .given(talking)
        .when({ type: 'ChangeMedia', callId, change: 'switched-to-video', screenShare: null })
        .then([changed('switched-to-video', video)]);
      spec
        .given([...talking, changed('switched-to-video', video)])
        .when({ type: 'ChangeMedia', callId, change: 'switched-to-voice', screenShare: null })
        .then([changed('switched-to-voice', voice)]);
      spec
        .given(talking)
        .when({ type: 'ChangeMedia', callId, change: 'muted', screenShare: null })
        .then([changed('muted', { ...voice, muted: true })]);
      spec.given(talking).when({ type: 'ChangeMedia', callId, change: 'unmuted', screenShare: null }).thenFails('NOT_MUTED');
    });
    it('turns the camera off and on, shares the screen, a window or a tab, and stops sharing, in a video call', () => {
      const inVideo = [...talking, changed('switched-to-video', video)];
      spec
        .given(inVideo)
        .when({ type: 'ChangeMedia', callId, change: 'camera-off', screenShare: null })
        .then([changed('camera-off', { ...video, cameraOn: false })]);
      spec
        .given(inVideo)
        .when({ type: 'ChangeMedia', callId, change: 'screen-share-started', screenShare: 'tab' })
        .then([changed('screen-share-started', { ...video, screenShare: 'tab' })]);
      const sharing = [...inVideo, changed('screen-share-started', { ...video, screenShare: 'window' })];
      spec
        .given(sharing)
        .when({ type: 'ChangeMedia', callId, change: 'screen-share-started', screenShare: 'screen' })
        .thenFails('ALREADY_SHARING');
      spec
        .given(sharing)
        .when({ type: 'ChangeMedia', callId, change: 'screen-share-stopped', screenShare: null })
        .then([changed('screen-share-stopped', video)]);
      spec
        .given(inVideo)
        .when({ type: 'ChangeMedia', callId, change: 'screen-share-started', screenShare: null })
        .thenFails('SCREEN_SHARE_AREA_REQUIRED');
      spec.given(talking).when({ type: 'ChangeMedia', callId, change: 'camera-on', screenShare: null }).thenFails('NOT_A_VIDEO_CALL');
    });
    it('only while talking', () => {
      spec.given([placed]).when({ type: 'ChangeMedia', callId, change: 'muted', screenShare: null }).thenFails('CALL_NOT_TALKING');
    });
  });

  it('hangs up from either side once, keeping the durations and the reason', () => {
    const talking = [placed, agentAnswered, talkingOut];
    const ended: CallEvent = {
      type: 'call.ended',
      data: { callId, agentId: 'a1', direction: 'outbound', endedBy: 'agent', reason: 'hang-up', talkSeconds: 60, totalSeconds: 65 },
    };
    spec.given(talking).when({ type: 'HangUp', callId, by: 'agent', now: t65 }).then([ended]);
    spec
      .given([...talking, ended])
      .when({ type: 'HangUp', callId, by: 'customer', now: t65 })
      .thenFails('CALL_ALREADY_ENDED');
  });

  it("gives a customer's call back to the head of its queue, and ends an outbound call, when its agent can no longer answer", () => {
    const lost = (direction: 'inbound' | 'outbound', totalSeconds: number): CallEvent => ({
      type: 'call.ended',
      data: { callId, agentId: 'a1', direction, endedBy: 'system', reason: 'agent-unavailable', talkSeconds: 0, totalSeconds },
    });
    // Issue 10: "The call goes back to the head of its queue and is offered to the next eligible agent."
    const back: CallEvent = {
      type: 'call.requeued',
      data: { callId, agentId: 'a1', skillQueueId: 'q1', reason: 'agent-unavailable', at: t5 },
    };
    spec.given([arrived, queued, offered]).when({ type: 'AgentUnavailable', callId, now: t5 }).then([back]);
    spec
      .given([arrived, queued, offered, back])
      .when({ type: 'Offer', callId, agentId: 'a2', phoneId: 1, now: t5 })
      .then([{ type: 'call.offered', data: { ...offered.data, agentId: 'a2', autoAnswerDueAt: '2026-11-24T10:00:07.000Z', at: t5 } }]);
    spec
      .given([placed])
      .when({ type: 'AgentUnavailable', callId, now: t5 })
      .then([lost('outbound', 5)]);
    spec
      .given([placed, agentAnswered])
      .when({ type: 'AgentUnavailable', callId, now: t5 })
      .then([lost('outbound', 5)]);
    spec.given([placed, agentAnswered, talkingOut]).when({ type: 'AgentUnavailable', callId, now: t65 }).then([]);
  });

  describe('outbound eligibility', () => {
    const place = (agent: { signedIn: boolean; phones: Record<string, 'registered' | 'failed' | 'deregistered' | 'registering'> }) =>
      ({ type: 'PlaceCall', callId, agentId: 'a1', agent, random: 0.9, from: '88001', to: '5550100', media: 'voice', now: t0 }) as const;
    it('needs a signed-in agent and a registered phone', () => {
      // Guide: "A WebRTC phone can make outbound calls only when it is registered and the agent has signed in."
      spec
        .given([])
        .when(place({ signedIn: false, phones: { '1': 'registered' } }))
        .thenFails('AGENT_NOT_SIGNED_IN');
      spec
        .given([])
        .when(place({ signedIn: true, phones: {} }))
        .thenFails('SOFTPHONE_NOT_REGISTERED');
      spec
        .given([])
        .when(place({ signedIn: true, phones: { '1': 'deregistered' } }))
        .thenFails('SOFTPHONE_NOT_REGISTERED');
    });
    it('rings the registered phone of a pool whose other phone failed', () => {
      // Issue 10: "The agent works on the registered phone (pool choice among registered phones)".
      spec
        .given([])
        .when(place({ signedIn: true, phones: { '1': 'registered', '2': 'failed' } }))
        .then([{ ...placed, data: { ...placed.data, phoneId: 1 } }]);
    });
  });

  describe('auto-answer guard and ring timeout', () => {
    const autoAnswered: CallEvent = {
      type: 'call.connected',
      data: { callId, agentId: 'a1', phoneId: 1, direction: 'inbound', answeredBy: 'auto-answer', media: 'voice', at: t5 },
    };
    const confirmed: CallEvent = { type: 'call.media-confirmed', data: { callId, agentId: 'a1', at: t5 } };
    const answeredInbound = [arrived, queued, offered, autoAnswered];
    it('answers an IVR call 2 seconds after the announcement ends', () => {
      // Guide: "the agent automatically answers the call 2 seconds after the user hears the announcement."
      const ivrQueued: CallEvent = { type: 'call.queued', data: { ...queued.data, via: 'ivr', ivrId: 'i1', announcementEndsAt: t5 } };
      spec
        .given([arrived, ivrQueued])
        .when({ type: 'Offer', callId, agentId: 'a1', phoneId: 1, now: t0 })
        .then([{ type: 'call.offered', data: { ...offered.data, autoAnswerDueAt: '2026-11-24T10:00:07.000Z' } }]);
    });
    it('re-queues an auto-answered call whose media the softphone never confirmed', () => {
      // Issue 10: "If the agent's softphone does not confirm media within a bound after the auto-answer (default 5 s,
      // tenant parameter), the call is re-queued at its head".
      spec
        .given(answeredInbound)
        .when({ type: 'AnswerGuardExpired', callId, now: t65 })
        .then([{ type: 'call.requeued', data: { callId, agentId: 'a1', skillQueueId: 'q1', reason: 'agent-not-responding', at: t65 } }]);
    });
    it('confirmation first, then the guard: the call stays; the guard first, then the confirmation: refused', () => {
      spec.given(answeredInbound).when({ type: 'ConfirmMedia', callId, now: t5 }).then([confirmed]);
      spec
        .given([...answeredInbound, confirmed])
        .when({ type: 'AnswerGuardExpired', callId, now: t65 })
        .then([]);
      spec
        .given([...answeredInbound, confirmed])
        .when({ type: 'ConfirmMedia', callId, now: t5 })
        .then([]);
      const requeued: CallEvent = {
        type: 'call.requeued',
        data: { callId, agentId: 'a1', skillQueueId: 'q1', reason: 'agent-not-responding', at: t65 },
      };
      spec
        .given([...answeredInbound, requeued])
        .when({ type: 'ConfirmMedia', callId, now: t65 })
        .thenFails('CALL_NOT_TALKING');
    });
    it('ends an outbound call whose agent never answers its ringing phone', () => {
      // Issue 10: "Same for an outbound call the agent's phone never answers (ring timeout)."
      spec
        .given([placed])
        .when({ type: 'RingTimeout', callId, now: t65 })
        .then([
          {
            type: 'call.ended',
            data: {
              callId,
              agentId: 'a1',
              direction: 'outbound',
              endedBy: 'system',
              reason: 'ring-timeout',
              talkSeconds: 0,
              totalSeconds: 65,
            },
          },
        ]);
      // Answered before the timeout: the timeout changes nothing.
      spec.given([placed, agentAnswered]).when({ type: 'RingTimeout', callId, now: t65 }).then([]);
    });
  });
});
