import type { PoorReason, QualityLevel, SecondMetrics } from '@softphone/contracts';
import type { HourDigest } from './hour-digest.policy.js';

export type DigestFacts = Omit<HourDigest, 'level'> & { hourStart: string; hourEnd: string };

export type MessageFacts = { level: QualityLevel } & (
  | { kind: 'alert'; callId: string; agentId: string; second: string; metrics: SecondMetrics; reasons: readonly PoorReason[] }
  | { kind: 'digest'; digest: DigestFacts }
);

const SIDES: Record<PoorReason['side'], string> = {
  'agent-receive': 'the agent receives',
  'remote-receive': 'the remote end receives',
};

/** One reason with its measured value and side: "packet loss 4.00 % on the audio the agent receives". */
export function reasonText({ reason, kind, side, value }: PoorReason): string {
  const what = {
    loss: `packet loss ${(value * 100).toFixed(2)} %`,
    jitter: `jitter ${value.toFixed(1)} ms`,
    delay: `one-way delay ${value.toFixed(1)} ms`,
    'no-audio': `no packets for ${value} s`,
    'one-way': `media in one direction only for ${value} s`,
  }[reason];
  return `${what} on the ${kind} ${SIDES[side]}`;
}

const LIMIT = 'You receive at most one such message per 60 minutes.';

/** The words of an internal message, the same in the API and in the mail; `names`: agent names by id, where known. */
export function messageText(message: MessageFacts, names: ReadonlyMap<string, string>): { subject: string; text: string } {
  const agent = (agentId: string) => (names.has(agentId) ? `${names.get(agentId)} (${agentId})` : agentId);
  if (message.kind === 'digest') {
    const { poorCalls, hourStart, hourEnd, agents, worstReasons } = message.digest;
    return {
      subject: `WebRTC network quality: ${poorCalls} ${poorCalls === 1 ? 'call' : 'calls'} went poor in the last hour`,
      text: [
        `While your messages were held, ${poorCalls} ${poorCalls === 1 ? 'call' : 'calls'} went poor between ${hourStart} and ${hourEnd} (worst level ${message.level}).`,
        `Agents: ${agents.map((a) => `${agent(a.agentId)} ${a.poorCalls} ${a.poorCalls === 1 ? 'call' : 'calls'}`).join(', ')}.`,
        ...(worstReasons.length > 0
          ? [`Worst reasons: ${worstReasons.map((r) => `${reasonText(r)} (call ${r.callId}, agent ${agent(r.agentId)})`).join('; ')}.`]
          : []),
        LIMIT,
      ].join('\n'),
    };
  }
  const { lossRate, jitterMs, oneWayDelayMs, mos } = message.metrics;
  return {
    subject: `WebRTC network quality is ${message.level} for agent ${agent(message.agentId)}`,
    text: [
      `The WebRTC network of agent ${agent(message.agentId)} is abnormal: call ${message.callId} reached the ${message.level} level at ${message.second}.`,
      ...(message.reasons.length > 0 ? [`Why: ${message.reasons.map(reasonText).join('; ')}.`] : []),
      `Packet loss rate ${(lossRate * 100).toFixed(2)} %, jitter ${jitterMs.toFixed(1)} ms, one-way delay ${oneWayDelayMs.toFixed(1)} ms, estimated MOS ${mos.toFixed(2)}.`,
      LIMIT,
    ].join('\n'),
  };
}
