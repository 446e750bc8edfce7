import { z } from 'zod';
import { AccessCode, SkillQueueMediaType } from '@softphone/contracts';

export const CreateSkillQueueBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  mediaType: SkillQueueMediaType.describe(
    'voice, video, voice-click-to-dial and video-click-to-dial are voice-related; chat and email are not',
  ),
  accessCode: AccessCode.describe('the number callers dial; unique in the tenant across skill queues and IVRs'),
});
