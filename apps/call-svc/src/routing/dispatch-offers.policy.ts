import type { CallEvent } from '@softphone/contracts';
import { agentLineDecider, type AgentLineState } from '../agent-lines/agent-line.decider.js';
import { callDecider, type CallState } from '../calls/call.decider.js';
import { pickPhone, rankAgents, type RoutingCandidate } from './routing.policy.js';

/** A waiting call and the agent a dispatch pass gives it. */
export interface Assignment {
  callId: string;
  agent: RoutingCandidate;
}

/**
 * A dispatch pass's choices: each waiting call, oldest first, gets the agent the routing policy ranks first among
 * those left (first come, first served per queue; one call per agent). The first call no agent is left for ends
 * the pass: no younger call goes before it. `left`: the agents given no call.
 */
export function assignCalls(
  callIds: readonly string[],
  agents: readonly RoutingCandidate[],
  skillQueueId: string,
): { assignments: Assignment[]; left: RoutingCandidate[] } {
  let left = [...agents];
  const assignments: Assignment[] = [];
  for (const callId of callIds) {
    const [agentId] = rankAgents(left, skillQueueId, callId);
    if (!agentId) break;
    const agent = left.find((a) => a.agentId === agentId)!;
    left = left.filter((a) => a !== agent);
    assignments.push({ callId, agent });
  }
  return { assignments, left };
}

/** One offer as decided: the events of the agent's line (its reservation) and of the call (its offer). */
export interface DecidedOffer {
  callId: string;
  agentId: string;
  lineEvents: CallEvent[];
  callEvents: CallEvent[];
  /** When the offered call is answered automatically (the guide's two seconds after the offer). */
  autoAnswerDueAt: string;
}

/**
 * The offers of a pass, decided on the states of the calls and agents' lines loaded together: each line is
 * reserved (agent-line decider: it throws when the line is not free, failing the pass) and each call offered
 * (call decider) at `now`, on a phone picked with `random()`.
 */
export function decideOffers(
  assignments: readonly Assignment[],
  lines: ReadonlyMap<string, AgentLineState>,
  calls: ReadonlyMap<string, CallState>,
  now: string,
  random: () => number,
): DecidedOffer[] {
  return assignments.map(({ callId, agent }) => {
    const { agentId } = agent;
    const lineEvents = agentLineDecider.decide({ type: 'Reserve', agentId, callId, outbound: false }, lines.get(agentId)!);
    const callEvents = callDecider.decide(
      { type: 'Offer', callId, agentId, phoneId: pickPhone(agent.phones, random()), now },
      calls.get(callId)!,
    );
    const offered = callEvents.find((e) => e.type === 'call.offered')!.data as { autoAnswerDueAt: string };
    return { callId, agentId, lineEvents, callEvents, autoAnswerDueAt: offered.autoAnswerDueAt };
  });
}
