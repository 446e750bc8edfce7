import type { DataOf, QualityEvent } from '@softphone/contracts';
import type { Decider } from '@softphone/decider';
import { DomainError, NotFoundError } from '@softphone/errors';

/** The guide: "Only one internal message can be sent within 60 minutes" (per OU manager). */
export const NOTICE_INTERVAL_MS = 60 * 60 * 1000;

export type Notice = Omit<DataOf<QualityEvent, 'quality.manager-notified'>, 'managerId'>;

export type ManagerInboxCommand = { managerId: string } & (
  | ({ type: 'NotifyManager' } & Notice)
  | { type: 'MarkMessageRead'; messageId: string }
  | { type: 'RecordMailed'; messageId: string; to: string }
);

export type ManagerInboxEvent = Extract<
  QualityEvent,
  { type: 'quality.manager-notified' | 'quality.manager-message-read' | 'quality.manager-message-mailed' }
>;

export interface ManagerInboxState {
  lastNotifiedAt: string | null;
  messages: Record<string, { read: boolean; mailed: boolean }>;
}

const initialState: ManagerInboxState = { lastNotifiedAt: null, messages: {} };

function message(state: ManagerInboxState, messageId: string) {
  const found = state.messages[messageId];
  if (!found) throw new NotFoundError('message', messageId);
  return found;
}

function decide(command: ManagerInboxCommand, state: ManagerInboxState): ManagerInboxEvent[] {
  const { managerId } = command;
  switch (command.type) {
    case 'NotifyManager': {
      const { type: _type, ...notice } = command;
      if (state.messages[notice.messageId]) return [];
      if (state.lastNotifiedAt && Date.parse(notice.notifiedAt) - Date.parse(state.lastNotifiedAt) < NOTICE_INTERVAL_MS) {
        throw new DomainError('MANAGER_NOTIFIED_RECENTLY', `manager ${managerId} already got an internal message within 60 minutes`);
      }
      return [{ type: 'quality.manager-notified', data: notice }];
    }
    case 'MarkMessageRead':
      if (message(state, command.messageId).read) return [];
      return [{ type: 'quality.manager-message-read', data: { messageId: command.messageId, managerId } }];
    case 'RecordMailed':
      if (message(state, command.messageId).mailed) return [];
      return [{ type: 'quality.manager-message-mailed', data: { messageId: command.messageId, managerId, to: command.to } }];
  }
}

function evolve(state: ManagerInboxState, event: ManagerInboxEvent): ManagerInboxState {
  switch (event.type) {
    case 'quality.manager-notified':
      return {
        lastNotifiedAt: event.data.notifiedAt,
        messages: { ...state.messages, [event.data.messageId]: { read: false, mailed: false } },
      };
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

/** One OU manager's internal messages: at most one per 60 minutes, each read and mailed once. */
export const managerInboxDecider: Decider<ManagerInboxCommand, ManagerInboxEvent, ManagerInboxState> = { initialState, decide, evolve };

export const managerInboxStream = (tenantId: string, managerId: string) => `manager-inbox-${tenantId}:${managerId}`;
