import { upcastManagerNotified, type DataOf, type QualityEvent } from '@softphone/contracts';
import type { Decider } from '@softphone/decider';
import { NotFoundError } from '@softphone/errors';
import { hourDigest, type HeldAlert } from './hour-digest.policy.js';
import { decideAlert, digestDue, hourEnds, type MessageWindow } from './message-window.policy.js';

/** A call gone poor, for one manager: its message id if it is sent on its own. */
export type Alert = Omit<DataOf<QualityEvent, 'quality.manager-notified'>, 'managerId' | 'notifiedAt'>;

export type ManagerMessagesCommand = { managerId: string } &
  /** `digestMessageId`: the id of a digest this may send (an overdue one). */
  (
    | { type: 'ReportPoorCall'; alert: Alert; at: string; digestMessageId: string }
    | { type: 'SendDigest'; at: string; digestMessageId: string }
    | { type: 'MarkMessageRead'; messageId: string }
    | { type: 'RecordMailed'; messageId: string; to: string }
  );

export type ManagerMessagesEvent = Extract<
  QualityEvent,
  {
    type:
      | 'quality.manager-notified'
      | 'quality.manager-digest-notified'
      | 'quality.manager-alert-held'
      | 'quality.manager-message-read'
      | 'quality.manager-message-mailed';
  }
>;

type DigestNotified = Extract<ManagerMessagesEvent, { type: 'quality.manager-digest-notified' }>;

export interface ManagerMessagesState {
  lastMessageAt: string | null;
  held: Array<HeldAlert & { alertId: string }>;
  messages: Record<string, { read: boolean; mailed: boolean }>;
}

const initialState: ManagerMessagesState = { lastMessageAt: null, held: [], messages: {} };

const windowOf = (state: ManagerMessagesState): MessageWindow => ({ lastMessageAt: state.lastMessageAt, held: state.held.length });

function message(state: ManagerMessagesState, messageId: string) {
  const found = state.messages[messageId];
  if (!found) throw new NotFoundError('message', messageId);
  return found;
}

function digest(state: ManagerMessagesState, managerId: string, messageId: string, at: string): DigestNotified {
  return {
    type: 'quality.manager-digest-notified',
    data: {
      messageId,
      managerId,
      hourStart: state.lastMessageAt!,
      hourEnd: hourEnds(windowOf(state))!,
      ...hourDigest(state.held),
      notifiedAt: at,
    },
  };
}

function reportPoorCall(state: ManagerMessagesState, command: Extract<ManagerMessagesCommand, { type: 'ReportPoorCall' }>) {
  const { managerId, alert, at } = command;
  if (state.messages[alert.messageId] || state.held.some((h) => h.alertId === alert.messageId)) return [];
  const decision = decideAlert(windowOf(state), at);
  if (decision.action === 'send') return [{ type: 'quality.manager-notified', data: { ...alert, managerId, notifiedAt: at } }] as const;
  const { messageId: alertId, orgUnitId, callId, agentId, level, second, reasons } = alert;
  return [
    ...(decision.digestFirst ? [digest(state, managerId, command.digestMessageId, at)] : []),
    {
      type: 'quality.manager-alert-held',
      data: { alertId, managerId, orgUnitId, callId, agentId, level, second, reasons, heldAt: at, digestDueAt: decision.digestDueAt },
    },
  ] as const;
}

function decide(command: ManagerMessagesCommand, state: ManagerMessagesState): ManagerMessagesEvent[] {
  const { managerId } = command;
  switch (command.type) {
    case 'ReportPoorCall':
      return [...reportPoorCall(state, command)];
    case 'SendDigest':
      return digestDue(windowOf(state), command.at) ? [digest(state, managerId, command.digestMessageId, command.at)] : [];
    case 'MarkMessageRead':
      if (message(state, command.messageId).read) return [];
      return [{ type: 'quality.manager-message-read', data: { messageId: command.messageId, managerId } }];
    case 'RecordMailed':
      if (message(state, command.messageId).mailed) return [];
      return [{ type: 'quality.manager-message-mailed', data: { messageId: command.messageId, managerId, to: command.to } }];
  }
}

function sent(state: ManagerMessagesState, messageId: string, at: string): ManagerMessagesState {
  return { lastMessageAt: at, held: [], messages: { ...state.messages, [messageId]: { read: false, mailed: false } } };
}

function evolve(state: ManagerMessagesState, event: ManagerMessagesEvent): ManagerMessagesState {
  switch (event.type) {
    case 'quality.manager-notified': {
      const { messageId, notifiedAt } = upcastManagerNotified(event);
      return sent(state, messageId, notifiedAt);
    }
    case 'quality.manager-digest-notified':
      return sent(state, event.data.messageId, event.data.notifiedAt);
    case 'quality.manager-alert-held': {
      const { alertId, callId, agentId, level, reasons } = event.data;
      return { ...state, held: [...state.held, { alertId, callId, agentId, level, reasons }] };
    }
    case 'quality.manager-message-read':
      return { ...state, messages: { ...state.messages, [event.data.messageId]: { ...state.messages[event.data.messageId], read: true } } };
    case 'quality.manager-message-mailed':
      return {
        ...state,
        messages: { ...state.messages, [event.data.messageId]: { ...state.messages[event.data.messageId], mailed: true } },
      };
    default:
      return state;
  }
}

/**
 * One OU manager's internal messages: a call gone poor is the message when the
 * 60-minute window allows it, otherwise held for the hour's digest (both rules
 * in the policies beside this file); each message read and mailed once.
 */
export const managerMessagesDecider: Decider<ManagerMessagesCommand, ManagerMessagesEvent, ManagerMessagesState> = {
  initialState,
  decide,
  evolve,
};

/** The stream keeps the id it had when the messages were called an inbox (stored streams and Kafka keys). */
export const managerMessagesStream = (tenantId: string, managerId: string) => `manager-inbox-${tenantId}:${managerId}`;
