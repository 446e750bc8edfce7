import type { CallEvent } from '@softphone/contracts';
import type { Decider } from '@softphone/decider';
import { DomainError } from '@softphone/errors';

/**
 * call-svc's own claim on an agent: one call at a time. Two instances routing
 * at the same moment both append to the agent's line stream with the version
 * they read; the event store's unique (stream, version) lets one win, the
 * other re-runs and finds the line taken.
 */
export type AgentLineCommand = { agentId: string; callId: string } & ({ type: 'Reserve' } | { type: 'Release' });

export interface AgentLineState {
  callId: string | null;
}

function decide(command: AgentLineCommand, state: AgentLineState): CallEvent[] {
  const { agentId, callId } = command;
  if (command.type === 'Reserve') {
    if (state.callId === callId) return [];
    if (state.callId) throw new DomainError('AGENT_OCCUPIED', 'the agent is on another call');
    return [{ type: 'call.agent-line-reserved', data: { agentId, callId } }];
  }
  return state.callId === callId ? [{ type: 'call.agent-line-released', data: { agentId, callId } }] : [];
}

function evolve(state: AgentLineState, event: CallEvent): AgentLineState {
  if (event.type === 'call.agent-line-reserved') return { callId: event.data.callId };
  if (event.type === 'call.agent-line-released') return { callId: null };
  return state;
}

export const agentLineDecider: Decider<AgentLineCommand, CallEvent, AgentLineState> = { initialState: { callId: null }, decide, evolve };

export const agentLineStream = (agentId: string) => `agent-line-${agentId}`;
