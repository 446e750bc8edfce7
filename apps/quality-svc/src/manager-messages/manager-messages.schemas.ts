import { z } from 'zod';

export const ManagerMessagesListQuery = z.strictObject({
  unread: z.enum(['true', 'false']).default('false').describe('only the messages not yet read'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
