import { describe, it } from '@jest/globals';
import type { CallEvent, MediaState } from '@softphone/contracts';
import { deciderSpec } from '@softphone/testing';
import { callDecider, type InboundRoute } from './call.decider.js';

const spec = deciderSpec(callDecider);
const callId = 'c1';
const t0 = '2026-11-24T10:00:00.000Z';
const t5 = '2026-11-24T10:00:05.000Z';
const t65 = '2026-11-24T10:01:05.000Z';
const voice: MediaState = { mode: 'voice', muted: false, cameraOn: false, screenShare: null };
const video: MediaState = { ...voice, mode: 'video', cameraOn: true };

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
        .when({ type: 'PlaceCall', callId, agentId: 'a1', phoneId: 2, from: '88001', to: '5550100', media: 'voice', now: t0 })
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
        .when({ type: 'PlaceCall', callId, agentId: 'a1', phoneId: 1, from: '1', to: '22', media: 'voice', now: t0 })
        .thenFails('CALL_ALREADY_EXISTS');
    });
  });

  describe('inbound', () => {
    const receive = (route: InboundRoute) =>
      ({ type: 'ReceiveCall', callId, caller: '5550100', dialed: '4001', media: 'voice', route, now: t0 }) as const;
    it('queues a call to an access code or after an IVR', () => {
      spec
        .given([])
        .when(receive({ kind: 'queue', skillQueueId: 'q1' }))
        .then([arrived, queued]);
      spec
        .given([])
        .when(receive({ kind: 'ivr', ivrId: 'i1', skillQueueId: 'q1', announcementEndsAt: t5 }))
        .then([arrived, { type: 'call.queued', data: { callId, skillQueueId: 'q1', via: 'ivr', ivrId: 'i1', announcementEndsAt: t5 } }]);
    });
    it('disconnects a call made directly to an agent phone, and one to an unknown number, with the reason', () => {
      const ended = (reason: 'direct-call-to-agent-phone' | 'unknown-destination'): CallEvent => ({
        type: 'call.ended',
        data: { callId, agentId: null, direction: 'inbound', endedBy: 'system', reason, talkSeconds: 0, totalSeconds: 0 },
      });
      spec
        .given([])
        .when(receive({ kind: 'agent-phone' }))
        .then([arrived, ended('direct-call-to-agent-phone')]);
      spec
        .given([])
        .when(receive({ kind: 'unknown' }))
        .then([arrived, ended('unknown-destination')]);
    });
    it('offers a waiting call once, and auto-answers it only while offered', () => {
      spec
        .given([arrived, queued])
        .when({ type: 'Offer', callId, agentId: 'a1', phoneId: 1, autoAnswerDueAt: offered.data.autoAnswerDueAt, now: t0 })
        .then([offered]);
      spec
        .given([arrived, queued, offered])
        .when({ type: 'Offer', callId, agentId: 'a2', phoneId: 1, autoAnswerDueAt: t5, now: t0 })
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

  it('ends a call its agent can no longer answer (signed out, phone lost) until it is talking', () => {
    const lost = (direction: 'inbound' | 'outbound', totalSeconds: number): CallEvent => ({
      type: 'call.ended',
      data: { callId, agentId: 'a1', direction, endedBy: 'system', reason: 'agent-unavailable', talkSeconds: 0, totalSeconds },
    });
    spec
      .given([arrived, queued, offered])
      .when({ type: 'AgentUnavailable', callId, now: t5 })
      .then([lost('inbound', 5)]);
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
});
