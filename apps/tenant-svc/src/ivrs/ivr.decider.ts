import { VOICE_RELATED_MEDIA_TYPES, type SkillQueueMediaType, type TenantEvent } from '@softphone/contracts';
import type { Decider } from '@softphone/decider';
import { DomainError, NotFoundError } from '@softphone/errors';
import { assertAccessCodeFree, type AccessCodeHolder } from '../access-codes/access-code.policy.js';

export type IvrEvent = Extract<TenantEvent, { type: 'tenant.ivr-created' }>;

/**
 * Read in the same transaction: what the access code already reaches, and the
 * media type of the skill queue the IVR transfers to (null: no such queue in the tenant).
 */
export interface CreateIvr {
  type: 'CreateIvr';
  ivrId: string;
  name: string;
  accessCode: string;
  announcementSeconds: number;
  skillQueueId: string;
  accessCodeHolder: AccessCodeHolder | null;
  skillQueueMediaType: SkillQueueMediaType | null;
}

export type IvrCommand = CreateIvr;

export interface IvrState {
  ivrId: string | null;
}

const initialState: IvrState = { ivrId: null };

function decide(command: IvrCommand, state: IvrState): IvrEvent[] {
  if (state.ivrId) throw new DomainError('IVR_ALREADY_EXISTS', `IVR ${state.ivrId} already exists`);
  const { ivrId, name, accessCode, announcementSeconds, skillQueueId, skillQueueMediaType } = command;
  if (skillQueueMediaType === null) throw new NotFoundError('skill queue', skillQueueId, 'skillQueueId');
  // The transferred call is answered on a WebRTC phone, which serves voice-related queues only.
  if (!VOICE_RELATED_MEDIA_TYPES.includes(skillQueueMediaType)) {
    throw new DomainError(
      'IVR_SKILL_QUEUE_NOT_VOICE_RELATED',
      `an IVR transfers calls to a voice-related skill queue, not a ${skillQueueMediaType} one`,
      {
        status: 422,
        field: 'skillQueueId',
      },
    );
  }
  assertAccessCodeFree(accessCode, command.accessCodeHolder);
  return [{ type: 'tenant.ivr-created', data: { ivrId, name, accessCode, announcementSeconds, skillQueueId } }];
}

function evolve(state: IvrState, event: IvrEvent): IvrState {
  switch (event.type) {
    case 'tenant.ivr-created':
      return { ivrId: event.data.ivrId };
    default:
      return state;
  }
}

export const ivrDecider: Decider<IvrCommand, IvrEvent, IvrState> = { initialState, decide, evolve };

export const ivrStream = (tenantId: string, ivrId: string) => `ivr-${tenantId}:${ivrId}`;
