import type { DataOf, QualityEvent, QualityLevel, SecondMetrics } from '@softphone/contracts';
import type { Decider } from '@softphone/decider';
import { DomainError } from '@softphone/errors';

export type CallQualitySummary = Omit<DataOf<QualityEvent, 'quality.call-summarized'>, 'callId' | 'agentId'>;

type WentPoor = Omit<DataOf<QualityEvent, 'quality.call-went-poor'>, 'callId' | 'agentId'>;

export type CallQualityCommand = { callId: string; agentId: string | null } & (
  | { type: 'ChangeLevel'; to: QualityLevel; second: string; metrics: SecondMetrics }
  | ({ type: 'RaiseAlert' } & WentPoor)
  | { type: 'ClearAlert'; second: string }
  | { type: 'Summarize'; summary: CallQualitySummary }
);

export type CallQualityEvent = Extract<
  QualityEvent,
  { type: 'quality.level-changed' | 'quality.call-went-poor' | 'quality.call-recovered' | 'quality.call-summarized' }
>;

export interface CallQualityState {
  level: QualityLevel | null;
  /** The second of the alert in force (quality.call-went-poor), if any. */
  poorSince: string | null;
  summarized: boolean;
}

const initialState: CallQualityState = { level: null, poorSince: null, summarized: false };

function assertOpen(state: CallQualityState, callId: string): void {
  if (state.summarized) throw new DomainError('CALL_QUALITY_CLOSED', `call ${callId} ended: its quality is summarized`);
}

function decide(command: CallQualityCommand, state: CallQualityState): CallQualityEvent[] {
  const { callId, agentId } = command;
  switch (command.type) {
    case 'ChangeLevel':
      assertOpen(state, callId);
      if (command.to === state.level) return [];
      return [
        {
          type: 'quality.level-changed',
          data: { callId, agentId, from: state.level, to: command.to, second: command.second, metrics: command.metrics },
        },
      ];
    case 'RaiseAlert': {
      assertOpen(state, callId);
      if (state.poorSince !== null) return [];
      const { type: _type, ...data } = command;
      return [{ type: 'quality.call-went-poor', data: { ...data, callId, agentId } }];
    }
    case 'ClearAlert':
      assertOpen(state, callId);
      if (state.poorSince === null) return [];
      return [{ type: 'quality.call-recovered', data: { callId, agentId, second: command.second, poorSince: state.poorSince } }];
    case 'Summarize':
      if (state.summarized) throw new DomainError('CALL_QUALITY_ALREADY_SUMMARIZED', `the quality of call ${callId} is already summarized`);
      return [{ type: 'quality.call-summarized', data: { callId, agentId, ...command.summary } }];
  }
}

function evolve(state: CallQualityState, event: CallQualityEvent): CallQualityState {
  switch (event.type) {
    case 'quality.level-changed':
      return { ...state, level: event.data.to };
    case 'quality.call-went-poor':
      return { ...state, poorSince: event.data.second };
    case 'quality.call-recovered':
      return { ...state, poorSince: null };
    case 'quality.call-summarized':
      return { ...state, summarized: true };
    default:
      return state;
  }
}

/** The published network level of one call, its alert (M-of-N rule) and its summary once it ended. */
export const callQualityDecider: Decider<CallQualityCommand, CallQualityEvent, CallQualityState> = { initialState, decide, evolve };

export const callQualityStream = (tenantId: string, callId: string) => `call-quality-${tenantId}:${callId}`;
