import { jobType } from '@softphone/scheduler';

export interface WrapUp {
  tenantId: string;
  agentId: string;
  callId: string;
}

/** The end of an agent's wrap-up, written when it starts: the agent is routable again at its end, once. */
export const wrapUpJob = jobType<WrapUp>('call.wrap-up-end', (p) => wrapUpSubject(p.agentId, p.callId));

export function wrapUpSubject(agentId: string, callId: string): string {
  return `${agentId}:${callId}`;
}
