import { z } from 'zod';
import { AccessCode, Name, SkillQueueMediaType } from '@softphone/contracts';

export const CreateSkillQueueBody = z.strictObject({
  name: Name,
  mediaType: SkillQueueMediaType.describe(
    'voice, video, voice-click-to-dial and video-click-to-dial are voice-related; chat and email are not',
  ),
  accessCode: AccessCode.describe('the number callers dial; unique in the tenant across skill queues and IVRs'),
});
