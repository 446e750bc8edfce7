import { describe, it } from '@jest/globals';
import { SKILL_QUEUE_MEDIA_TYPES } from '@softphone/contracts';
import { deciderSpec } from '@softphone/testing';
import { skillQueueDecider, type CreateSkillQueue, type SkillQueueEvent } from './skill-queue.decider.js';

const spec = deciderSpec(skillQueueDecider);
const skillQueueId = 'sq1';

const create = (overrides: Partial<CreateSkillQueue> = {}): CreateSkillQueue => ({
  type: 'CreateSkillQueue',
  skillQueueId,
  name: 'Support',
  mediaType: 'voice',
  accessCode: '1001',
  accessCodeHolder: null,
  ...overrides,
});
const created = (mediaType: CreateSkillQueue['mediaType'] = 'voice'): SkillQueueEvent => ({
  type: 'tenant.skill-queue-created',
  data: { skillQueueId, name: 'Support', mediaType, accessCode: '1001' },
});

describe('skill queue decider', () => {
  it.each(SKILL_QUEUE_MEDIA_TYPES)('creates a %s skill queue with its access code', (mediaType) =>
    spec
      .given([])
      .when(create({ mediaType }))
      .then([created(mediaType)]),
  );

  it('refuses an access code another skill queue of the tenant has', () =>
    spec
      .given([])
      .when(create({ accessCodeHolder: { kind: 'skill-queue', id: 'sq0' } }))
      .thenFails('ACCESS_CODE_TAKEN', { status: 409, field: 'accessCode' }));

  it('refuses an access code an IVR of the tenant has', () =>
    spec
      .given([])
      .when(create({ accessCodeHolder: { kind: 'ivr', id: 'ivr0' } }))
      .thenFails('ACCESS_CODE_TAKEN', { status: 409, field: 'accessCode' }));

  it('refuses to create it twice', () => spec.given([created()]).when(create()).thenFails('SKILL_QUEUE_ALREADY_EXISTS', { status: 409 }));
});
