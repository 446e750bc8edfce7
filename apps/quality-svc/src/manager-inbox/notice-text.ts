import type { QualityLevel, SecondMetrics } from '@softphone/contracts';

export interface NoticeFacts {
  callId: string;
  agentId: string;
  agentName: string | null;
  level: QualityLevel;
  second: string;
  metrics: SecondMetrics;
}

/** The words of the internal message, the same in the inbox and in the mail. */
export function noticeText(facts: NoticeFacts): { subject: string; text: string } {
  const agent = facts.agentName ? `${facts.agentName} (${facts.agentId})` : facts.agentId;
  const { lossRate, jitterMs, oneWayDelayMs, mos } = facts.metrics;
  return {
    subject: `WebRTC network quality is ${facts.level} for agent ${agent}`,
    text: [
      `The WebRTC network of agent ${agent} is abnormal: call ${facts.callId} reached the ${facts.level} level at ${facts.second}.`,
      `Packet loss rate ${(lossRate * 100).toFixed(2)} %, jitter ${jitterMs.toFixed(1)} ms, one-way delay ${oneWayDelayMs.toFixed(1)} ms, estimated MOS ${mos.toFixed(2)}.`,
      'You receive at most one such message per 60 minutes.',
    ].join('\n'),
  };
}
