import { describe, it } from '@jest/globals';
import { deciderSpec } from '@softphone/testing';
import { ivrDecider, type CreateIvr, type IvrEvent } from './ivr.decider.js';

const spec = deciderSpec(ivrDecider);

const create = (overrides: Partial<CreateIvr> = {}): CreateIvr => ({
  type: 'CreateIvr',
  ivrId: 'ivr1',
  name: 'Welcome',
  accessCode: '2001',
  announcementSeconds: 12.5,
  skillQueueId: 'sq1',
  accessCodeHolder: null,
  skillQueueMediaType: 'voice',
  ...overrides,
});
const created: IvrEvent = {
  type: 'tenant.ivr-created',
  data: { ivrId: 'ivr1', name: 'Welcome', accessCode: '2001', announcementSeconds: 12.5, skillQueueId: 'sq1' },
};

describe('IVR decider', () => {
  it.each(['voice', 'video', 'voice-click-to-dial', 'video-click-to-dial'] as const)(
    'creates an IVR access code that transfers to a %s skill queue',
    (skillQueueMediaType) => spec.given([]).when(create({ skillQueueMediaType })).then([created]),
  );

  it.each(['chat', 'email'] as const)('refuses a %s skill queue: not voice-related (422)', (skillQueueMediaType) =>
    spec
      .given([])
      .when(create({ skillQueueMediaType }))
      .thenFails('IVR_SKILL_QUEUE_NOT_VOICE_RELATED', { status: 422, field: 'skillQueueId' }),
  );

  it('refuses a skill queue that does not exist in the tenant (404 on skillQueueId)', () =>
    spec
      .given([])
      .when(create({ skillQueueMediaType: null }))
      .thenFails('SKILL_QUEUE_NOT_FOUND', { status: 404, field: 'skillQueueId' }));

  it('refuses an access code a skill queue of the tenant has', () =>
    spec
      .given([])
      .when(create({ accessCodeHolder: { kind: 'skill-queue', id: 'sq1' } }))
      .thenFails('ACCESS_CODE_TAKEN', { status: 409, field: 'accessCode' }));

  it('refuses an access code another IVR of the tenant has', () =>
    spec
      .given([])
      .when(create({ accessCodeHolder: { kind: 'ivr', id: 'ivr0' } }))
      .thenFails('ACCESS_CODE_TAKEN', { status: 409, field: 'accessCode' }));

  it('refuses to create it twice', () => spec.given([created]).when(create()).thenFails('IVR_ALREADY_EXISTS', { status: 409 }));
});
