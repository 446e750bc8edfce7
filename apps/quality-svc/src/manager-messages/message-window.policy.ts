/**
 * The guide: "Only one internal message can be sent within 60 minutes" (to an
 * OU manager). Issue 9: a call gone poor inside the hour is held; when an hour
 * in which alerts were held ends, the manager gets one digest of them, which is
 * the message of the next hour. The one place where the 60 minutes live.
 */
export const MESSAGE_WINDOW_MS = 60 * 60 * 1000;

export interface MessageWindow {
  /** When the manager's latest message (alert or digest) was sent, if any. */
  lastMessageAt: string | null;
  /** Alerts held since then, waiting for the digest. */
  held: number;
}

export type AlertDecision =
  /** No message within 60 minutes and nothing held: the alert is the message. */
  | { action: 'send' }
  /**
   * Held for a digest due at `digestDueAt`. `digestFirst`: the hour with held
   * alerts already ended and its digest is not out yet (its timer is late): the
   * digest goes now, and this alert is the first of the new hour.
   */
  | { action: 'hold'; digestFirst: boolean; digestDueAt: string };

const hourAfter = (at: string) => new Date(Date.parse(at) + MESSAGE_WINDOW_MS).toISOString();

/** The end of the hour that began with the manager's latest message. */
export function hourEnds(window: MessageWindow): string | null {
  return window.lastMessageAt === null ? null : hourAfter(window.lastMessageAt);
}

/** Whether the digest of held alerts is due at `at`. */
export function digestDue(window: MessageWindow, at: string): boolean {
  const end = hourEnds(window);
  return window.held > 0 && end !== null && Date.parse(at) >= Date.parse(end);
}

/** What becomes of an alert for the manager at `at`. */
export function decideAlert(window: MessageWindow, at: string): AlertDecision {
  if (digestDue(window, at)) return { action: 'hold', digestFirst: true, digestDueAt: hourAfter(at) };
  const end = hourEnds(window);
  if (end === null || Date.parse(at) >= Date.parse(end)) return { action: 'send' };
  return { action: 'hold', digestFirst: false, digestDueAt: end };
}
