import type { DomainEvent } from '@softphone/contracts';

/** What quality-svc does about a fact of another service, once its directory holds it. */
export type DirectoryReaction =
  /** The call ended: its quality is summarized and its later samples are discarded. */
  { kind: 'close-call-quality'; callId: string };

/** The reactions to tenant-svc's, agent-svc's and call-svc's events: only the end of a call has one. */
export function reactionsTo(event: DomainEvent): DirectoryReaction[] {
  return event.type === 'call.ended' ? [{ kind: 'close-call-quality', callId: event.data.callId }] : [];
}
