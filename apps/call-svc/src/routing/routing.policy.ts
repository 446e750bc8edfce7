/**
 * Which agent takes which call: pure functions over the facts call-svc holds
 * (its directory of agents and each agent's line). The queue dispatcher gathers
 * the facts, asks here, and offers what this chose.
 */

export type PhoneId = 1 | 2;
/** A phone as call-svc knows it from agent-svc's events (absent: unregistered). */
export type PhoneStatus = 'registering' | 'registered' | 'failed' | 'deregistered';

export interface RoutingCandidate {
  agentId: string;
  signedIn: boolean;
  phones: Partial<Record<string, PhoneStatus>>;
  /** False while the agent's softphone heartbeat is stale. */
  reachable: boolean;
  skillQueueIds: string[];
  /** The agent's line holds no call, no wrap-up, no not-responding. */
  lineFree: boolean;
  /** Since when the line is free (null: it never held a call). */
  freeSince: string | null;
}

/** The phones that can ring: registered ones. Issue 10: "The agent works on the registered phone". */
export function registeredPhones(phones: Partial<Record<string, PhoneStatus>>): PhoneId[] {
  return (['1', '2'] as const).filter((id) => phones[id] === 'registered').map((id) => Number(id) as PhoneId);
}

/**
 * An agent takes a call of a queue when signed in, with a registered phone (in pool mode one is enough:
 * issue 10 "pool choice among registered phones"), its softphone reachable (issue 10: "an agent whose
 * heartbeat is stale for 3 periods is not routable"), bound to the queue, and its line free (guide: "The agent
 * enters the busy state and does not answer other calls."; wrap-up and not-responding hold the line too).
 */
export function isRoutable(agent: RoutingCandidate, skillQueueId: string): boolean {
  return (
    agent.signedIn &&
    registeredPhones(agent.phones).length > 0 &&
    agent.reachable &&
    agent.lineFree &&
    agent.skillQueueIds.includes(skillQueueId)
  );
}

/**
 * The queues the agent can take a call of right now: what call-svc's index of routable agents holds for it
 * (one row per queue, ordered by free-since), so that a routing reads only the head of its queue.
 */
export function routableQueues(agent: RoutingCandidate): string[] {
  return agent.skillQueueIds.filter((queue) => isRoutable(agent, queue));
}

/** 32-bit FNV-1a: a stable, call-specific order among agents free equally long. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The routable agents of a queue for one call, best first: the one idle longest (a line that never held a
 * call first). Agents idle equally long come in an order of the call's own, so concurrent routings of
 * different calls spread over them instead of all trying the same agent.
 */
export function rankAgents(candidates: readonly RoutingCandidate[], skillQueueId: string, callId: string): string[] {
  const since = (c: RoutingCandidate) => (c.freeSince === null ? -Infinity : Date.parse(c.freeSince));
  return candidates
    .filter((c) => isRoutable(c, skillQueueId))
    .map((c) => ({ agentId: c.agentId, since: since(c), tie: fnv1a(`${c.agentId}:${callId}`) }))
    .sort((a, b) => a.since - b.since || a.tie - b.tie || a.agentId.localeCompare(b.agentId))
    .map((c) => c.agentId);
}

/**
 * A waiting call's place in its queue, as a sortable key: first come, first served; a call that went back to
 * its queue (its agent unavailable or not responding) waits at the head (issue 10: "The call goes back to
 * the head of its queue"), first come first served among those.
 */
export function queueKey(queuedAt: string, callId: string, requeued: boolean): string {
  return `${requeued ? 0 : 1}|${queuedAt}|${callId}`;
}

/**
 * The phone a call rings on: one registered phone, at random in pool mode. Guide: "In pool mode, either of
 * the two phones is used randomly." and "In pool mode, an agent talks with a phone randomly."
 */
export function pickPhone(phones: Partial<Record<string, PhoneStatus>>, random: number): PhoneId {
  const registered = registeredPhones(phones);
  return registered[Math.min(registered.length - 1, Math.floor(random * registered.length))] ?? 1;
}
