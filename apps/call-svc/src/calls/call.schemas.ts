import { z } from 'zod';
import { CallMedia, Id, MediaChange, PhoneNumber, ScreenShare } from '@softphone/contracts';

export const PlaceCallBody = z.strictObject({ to: PhoneNumber.describe('the number to call'), media: CallMedia.default('voice') });

export const InboundCallBody = z.strictObject({
  caller: PhoneNumber,
  dialed: PhoneNumber.describe("a skill queue's or an IVR's access code (a call straight to an agent's phone is disconnected)"),
  media: CallMedia.default('voice'),
});

export const MediaChangeBody = z.strictObject({
  change: MediaChange,
  screenShare: ScreenShare.nullable()
    .default(null)
    .describe('with screen-share-started: the entire screen, an application window or a browser tab'),
});

export const CallsListQuery = z.strictObject({
  status: z.enum(['ringing-agent', 'ringing-customer', 'arrived', 'queued', 'offered', 'talking', 'ended']).optional(),
  agentId: Id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const HistoryQuery = z.strictObject({ at: z.iso.datetime({ offset: true }).optional() });
