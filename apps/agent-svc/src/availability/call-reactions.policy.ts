import type { CallEvent } from '@softphone/contracts';
import type { AgentCommand } from '../agents/agent.decider.js';

/**
 * The agent command a fact of call-svc implies, if any. Guide: "The WebRTC phone is in talking state and
 * displayed in green, and the agent is in occupied state." Issue 10: "The board and the agent's own view show a
 * `ringing` (or `reserved`) availability the moment a call is placed or offered"; wrap-up and not-responding come
 * from call-svc's agent line.
 */
export function commandFor(event: CallEvent): AgentCommand | null {
  switch (event.type) {
    case 'call.placed':
    case 'call.offered':
      return { type: 'RingCall', agentId: event.data.agentId, callId: event.data.callId };
    case 'call.connected':
      return { type: 'StartCall', agentId: event.data.agentId, callId: event.data.callId };
    case 'call.requeued':
      return { type: 'EndCall', agentId: event.data.agentId, callId: event.data.callId };
    case 'call.ended':
      return event.data.agentId ? { type: 'EndCall', agentId: event.data.agentId, callId: event.data.callId } : null;
    case 'call.agent-wrap-up-started':
      return { type: 'StartWrapUp', agentId: event.data.agentId, callId: event.data.callId, until: event.data.until };
    case 'call.agent-wrap-up-ended':
      return { type: 'EndWrapUp', agentId: event.data.agentId, callId: event.data.callId };
    case 'call.agent-not-responding':
      return { type: 'MarkNotResponding', agentId: event.data.agentId, callId: event.data.callId, reason: event.data.reason };
    case 'call.agent-made-available':
      return { type: 'MarkAvailable', agentId: event.data.agentId };
    default:
      return null;
  }
}
