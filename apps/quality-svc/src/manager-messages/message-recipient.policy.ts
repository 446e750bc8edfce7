/** What quality-svc knows, when a call went poor, of whom to tell. */
export interface RecipientFacts {
  /** The call's agent (from call-svc's events, or the alert itself); null while unknown. */
  agentId: string | null;
  /** The agent's org unit; null while agent-svc has not told us the agent. */
  orgUnitId: string | null;
  /** The org units from the agent's up to the root, each with its manager if it has one. */
  chain: ReadonlyArray<{ orgUnitId: string; managerId: string | null }>;
  /** The tenant parameter "send internal messages when the WebRTC network is abnormal" (No until tenant-svc says Yes). */
  notify: boolean;
}

export type Recipient =
  /** The call's agent or its org unit is not known yet: ask again later. */
  | { kind: 'wait' }
  | { kind: 'nobody'; because: 'parameter-off' | 'no-manager' }
  | { kind: 'manager'; managerId: string; agentId: string; orgUnitId: string };

/**
 * The guide: when the tenant parameter is on, the OU manager is told of a
 * poor network. The manager of the agent's org unit, or when it has none the
 * nearest ancestor that has one; no manager up the tree, nobody.
 */
export function recipientOf(facts: RecipientFacts): Recipient {
  const { agentId, orgUnitId } = facts;
  if (!agentId || !orgUnitId) return { kind: 'wait' };
  if (!facts.notify) return { kind: 'nobody', because: 'parameter-off' };
  const managerId = facts.chain.find((unit) => unit.managerId !== null)?.managerId;
  return managerId ? { kind: 'manager', managerId, agentId, orgUnitId } : { kind: 'nobody', because: 'no-manager' };
}
