import type { PoorReason, QualityLevel } from '@softphone/contracts';

/** An alert held by the 60-minute rule, as much of it as the digest tells. */
export interface HeldAlert {
  callId: string;
  agentId: string;
  level: QualityLevel;
  reasons: readonly PoorReason[];
}

export interface HourDigest {
  poorCalls: number;
  level: QualityLevel;
  agents: Array<{ agentId: string; poorCalls: number }>;
  worstReasons: Array<PoorReason & { callId: string; agentId: string }>;
}

const LEVELS: readonly QualityLevel[] = ['good', 'medium', 'poor', 'bad'];
const REASONS: readonly PoorReason['reason'][] = ['loss', 'jitter', 'delay', 'no-audio', 'one-way'];

/**
 * Issue 9: the hour's digest tells "how many calls went poor, which agents,
 * worst reasons". A call counts once (its worst level and every reason it
 * had); agents most affected first, then by id; for each reason, the largest
 * measured value in the hour and where it was.
 */
export function hourDigest(held: readonly HeldAlert[]): HourDigest {
  const calls = new Map<string, HeldAlert>();
  for (const alert of held) {
    const seen = calls.get(alert.callId);
    calls.set(
      alert.callId,
      seen ? { ...seen, level: worse(seen.level, alert.level), reasons: [...seen.reasons, ...alert.reasons] } : alert,
    );
  }
  const perAgent = new Map<string, number>();
  const worst = new Map<string, HourDigest['worstReasons'][number]>();
  for (const call of calls.values()) {
    perAgent.set(call.agentId, (perAgent.get(call.agentId) ?? 0) + 1);
    for (const reason of call.reasons) {
      const current = worst.get(reason.reason);
      if (!current || reason.value > current.value) worst.set(reason.reason, { ...reason, callId: call.callId, agentId: call.agentId });
    }
  }
  return {
    poorCalls: calls.size,
    level: [...calls.values()].map((c) => c.level).reduce(worse, 'good'),
    agents: [...perAgent]
      .map(([agentId, poorCalls]) => ({ agentId, poorCalls }))
      .sort((a, b) => b.poorCalls - a.poorCalls || a.agentId.localeCompare(b.agentId)),
    worstReasons: REASONS.flatMap((r) => worst.get(r) ?? []),
  };
}

function worse(a: QualityLevel, b: QualityLevel): QualityLevel {
  return LEVELS.indexOf(a) >= LEVELS.indexOf(b) ? a : b;
}
