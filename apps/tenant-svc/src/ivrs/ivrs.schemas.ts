import { z } from 'zod';
import { AccessCode, Id, Name } from '@softphone/contracts';

export const CreateIvrBody = z.strictObject({
  name: Name,
  accessCode: AccessCode.describe('the number callers dial; unique in the tenant across skill queues and IVRs'),
  announcementSeconds: z.number().min(0).max(600).describe('length of the announcement; the agent answers 2 s after it ends'),
  skillQueueId: Id.describe('the voice-related skill queue the IVR transfers the call to'),
});
