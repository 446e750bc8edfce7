import type { CallEvent } from '@softphone/contracts';
import type { Decider } from '@softphone/decider';
import { DomainError } from '@softphone/errors';
import { wrapUpUntil } from '../calls/call-timers.policy.js';

/**
 * call-svc's own claim on an agent: one call at a time, then wrap-up, or
 * not-responding. Two instances routing at the same moment both append to the
 * agent's line stream with the version they read; the event store's unique
 * (stream, version) lets one win, the other re-runs and finds the line taken.
 */
export type AgentLineCommand = { agentId: string } & (
  | { type: 'Reserve'; callId: string; outbound: boolean }
  /** The call no longer needs the agent; `talked`: it was connected, so wrap-up may follow. */
  | { type: 'Release'; callId: string; talked: boolean; wrapUpSeconds: number; now: string }
  /** The agent's softphone never confirmed media, or never answered its outbound call. */
  | { type: 'ReleaseNotResponding'; callId: string; reason: 'auto-answer-unconfirmed' | 'ring-timeout' }
  | { type: 'EndWrapUp'; callId: string }
  /** The agent (or an admin) makes itself available: ends wrap-up early, or not-responding. */
  | { type: 'MakeAvailable'; by: 'agent' | 'admin' }
);

export interface AgentLineState {
  callId: string | null;
  wrapUp: { callId: string; until: string } | null;
  notResponding: { callId: string; reason: 'auto-answer-unconfirmed' | 'ring-timeout' } | null;
}

const initialState: AgentLineState = { callId: null, wrapUp: null, notResponding: null };

/** A line that holds no call, no wrap-up and no not-responding: the agent may take a call. */
export const isLineFree = (state: AgentLineState) => !state.callId && !state.wrapUp && !state.notResponding;

function decide(command: AgentLineCommand, state: AgentLineState): CallEvent[] {
  const { agentId } = command;
  switch (command.type) {
    case 'Reserve': {
      const { callId } = command;
      if (state.callId === callId) return [];
      // Guide: "The agent enters the busy state and does not answer other calls."
      if (state.callId) throw new DomainError('AGENT_OCCUPIED', 'the agent is on another call');
      if (state.notResponding) {
        throw new DomainError('AGENT_NOT_RESPONDING', 'the agent is not responding: make it available again first');
      }
      if (state.wrapUp && !command.outbound) throw new DomainError('AGENT_IN_WRAP_UP', 'the agent is in after-call work');
      // The agent's own outbound call ends its wrap-up early.
      const endWrapUp: CallEvent[] = state.wrapUp
        ? [{ type: 'call.agent-wrap-up-ended', data: { agentId, callId: state.wrapUp.callId, endedBy: 'agent' } }]
        : [];
      return [...endWrapUp, { type: 'call.agent-line-reserved', data: { agentId, callId } }];
    }
    case 'Release': {
      if (state.callId !== command.callId) return [];
      const released: CallEvent = { type: 'call.agent-line-released', data: { agentId, callId: command.callId } };
      // Issue 10: "After a call ends the agent is in `wrap-up` for a tenant-configured time (default 0 = off)".
      const until = command.talked ? wrapUpUntil(command.now, command.wrapUpSeconds) : null;
      return until ? [released, { type: 'call.agent-wrap-up-started', data: { agentId, callId: command.callId, until } }] : [released];
    }
    case 'ReleaseNotResponding':
      if (state.callId !== command.callId) return [];
      // Issue 10: "the agent goes to `not-responding` (not routable) until the agent or an admin makes it available again".
      return [
        { type: 'call.agent-line-released', data: { agentId, callId: command.callId } },
        { type: 'call.agent-not-responding', data: { agentId, callId: command.callId, reason: command.reason } },
      ];
    case 'EndWrapUp':
      // Issue 10: "routable again when it ends or when the agent ends it early".
      return state.wrapUp?.callId === command.callId
        ? [{ type: 'call.agent-wrap-up-ended', data: { agentId, callId: command.callId, endedBy: 'timer' } }]
        : [];
    case 'MakeAvailable':
      if (state.notResponding) return [{ type: 'call.agent-made-available', data: { agentId, by: command.by } }];
      if (state.wrapUp) return [{ type: 'call.agent-wrap-up-ended', data: { agentId, callId: state.wrapUp.callId, endedBy: command.by } }];
      if (state.callId) throw new DomainError('AGENT_OCCUPIED', 'the agent is on a call');
      throw new DomainError('AGENT_ALREADY_AVAILABLE', 'the agent is neither in wrap-up nor not responding');
  }
}

function evolve(state: AgentLineState, event: CallEvent): AgentLineState {
  switch (event.type) {
    case 'call.agent-line-reserved':
      return { ...state, callId: event.data.callId };
    case 'call.agent-line-released':
      return { ...state, callId: null };
    case 'call.agent-wrap-up-started':
      return { ...state, wrapUp: { callId: event.data.callId, until: event.data.until } };
    case 'call.agent-wrap-up-ended':
      return { ...state, wrapUp: null };
    case 'call.agent-not-responding':
      return { ...state, notResponding: { callId: event.data.callId, reason: event.data.reason } };
    case 'call.agent-made-available':
      return { ...state, notResponding: null };
    default:
      return state;
  }
}

export const agentLineDecider: Decider<AgentLineCommand, CallEvent, AgentLineState> = { initialState, decide, evolve };

export const agentLineStream = (agentId: string) => `agent-line-${agentId}`;
