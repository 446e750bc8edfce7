import type { SkillQueueMediaType, TenantEvent } from '@softphone/contracts';
import type { Decider } from '@softphone/decider';
import { DomainError } from '@softphone/errors';
import { assertAccessCodeFree, type AccessCodeHolder } from '../access-codes/access-code.policy.js';

export type SkillQueueEvent = Extract<TenantEvent, { type: 'tenant.skill-queue-created' }>;

/** accessCodeHolder: what the access code already reaches in the tenant, read in the same transaction. */
export interface CreateSkillQueue {
  type: 'CreateSkillQueue';
  skillQueueId: string;
  name: string;
  mediaType: SkillQueueMediaType;
  accessCode: string;
  accessCodeHolder: AccessCodeHolder | null;
}

export type SkillQueueCommand = CreateSkillQueue;

export interface SkillQueueState {
  skillQueueId: string | null;
  mediaType: SkillQueueMediaType | null;
}

const initialState: SkillQueueState = { skillQueueId: null, mediaType: null };

function decide(command: SkillQueueCommand, state: SkillQueueState): SkillQueueEvent[] {
  if (state.skillQueueId) throw new DomainError('SKILL_QUEUE_ALREADY_EXISTS', `skill queue ${state.skillQueueId} already exists`);
  const { skillQueueId, name, mediaType, accessCode } = command;
  assertAccessCodeFree(accessCode, command.accessCodeHolder);
  return [{ type: 'tenant.skill-queue-created', data: { skillQueueId, name, mediaType, accessCode } }];
}

function evolve(state: SkillQueueState, event: SkillQueueEvent): SkillQueueState {
  switch (event.type) {
    case 'tenant.skill-queue-created':
      return { skillQueueId: event.data.skillQueueId, mediaType: event.data.mediaType };
    default:
      return state;
  }
}

export const skillQueueDecider: Decider<SkillQueueCommand, SkillQueueEvent, SkillQueueState> = { initialState, decide, evolve };

export const skillQueueStream = (tenantId: string, skillQueueId: string) => `skill-queue-${tenantId}:${skillQueueId}`;
