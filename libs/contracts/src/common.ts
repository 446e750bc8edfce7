import { z } from 'zod';

/** An id's characters (Id; also the gateways' sample check, gateway-samples.ts). */
export const ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
export const Id = z.string().min(1).max(64).regex(ID_PATTERN, 'letters, digits and . _ : - only');
/** ISO 8601 with an offset (Z or ±hh:mm), any fraction of a second: the pattern zod checks (Timestamp). */
export const TIMESTAMP_PATTERN = z.regexes.datetime({ offset: true, local: false, precision: null });
export const Timestamp = z.iso.datetime({ offset: true });

/**
 * Text people read (names, reasons, addresses): no control character (\p{Cc}:
 * CR, LF, TAB, NUL, ESC...), which would forge lines of a mail or a log.
 */
export const PlainText = z.string().regex(/^\P{Cc}*$/u, 'must not contain control characters (CR, LF, TAB...)');
/** A name: plain text, 1 to 200 characters once trimmed. */
export const Name = PlainText.trim().min(1).max(200);
/** A reason given with an action (suspension, registration failure): plain text, up to 500 characters. */
export const Reason = PlainText.max(500);
export const PhoneNumber = z.string().regex(/^\+?[0-9]{2,20}$/, 'digits only, optionally starting with +');
export const AccessCode = z.string().regex(/^[0-9]{2,20}$/, '2 to 20 digits');
export const Email = z.email();

export const SKILL_QUEUE_MEDIA_TYPES = ['voice', 'video', 'voice-click-to-dial', 'video-click-to-dial', 'chat', 'email'] as const;
export const SkillQueueMediaType = z.enum(SKILL_QUEUE_MEDIA_TYPES);
export type SkillQueueMediaType = z.infer<typeof SkillQueueMediaType>;

/** The guide: voice-related skill queues are voice, video and both click-to-dial kinds. */
export const VOICE_RELATED_MEDIA_TYPES: readonly SkillQueueMediaType[] = ['voice', 'video', 'voice-click-to-dial', 'video-click-to-dial'];

export const Gateway = z.object({
  gatewayId: Id,
  address: PlainText.min(3).max(255).describe('host:port or wss:// URL of the WebRTC gateway'),
});
export type Gateway = z.infer<typeof Gateway>;

export const AuthMode = z.enum(['unified', 'uap']);
export type AuthMode = z.infer<typeof AuthMode>;

export const CallMedia = z.enum(['voice', 'video']);
export type CallMedia = z.infer<typeof CallMedia>;

export const ScreenShare = z.enum(['screen', 'window', 'tab']);
export type ScreenShare = z.infer<typeof ScreenShare>;

export const QualityLevel = z.enum(['good', 'medium', 'poor', 'bad']);
export type QualityLevel = z.infer<typeof QualityLevel>;

/** Why an agent stopped being routable until it (or an admin) makes it available again. */
export const NotRespondingReason = z.enum(['auto-answer-unconfirmed', 'ring-timeout']);
export type NotRespondingReason = z.infer<typeof NotRespondingReason>;
