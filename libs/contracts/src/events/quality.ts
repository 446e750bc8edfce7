import { z } from 'zod';
import { Email, Id, QualityLevel, Timestamp } from '../common.js';
import { defineEvent, type EventOf } from '../define-event.js';

const quality = <T extends string, D extends z.ZodType>(type: T, description: string, data: D) =>
  defineEvent('quality', type, 1, description, data);

export const SecondMetrics = z.object({
  lossRate: z.number().min(0).max(1).describe('fraction of the packets the remote end sent in that second that did not arrive'),
  jitterMs: z.number().min(0),
  oneWayDelayMs: z.number().min(0),
  mos: z.number().min(1).max(5),
});
export type SecondMetrics = z.infer<typeof SecondMetrics>;

export const SecondsByLevel = z.object({
  good: z.number().int().min(0),
  medium: z.number().int().min(0),
  poor: z.number().int().min(0),
  bad: z.number().int().min(0),
});
export type SecondsByLevel = z.infer<typeof SecondsByLevel>;

export const qualityEvents = {
  levelChanged: quality(
    'quality.level-changed',
    "The call's network level changed (after hysteresis); metrics of the second that confirmed it.",
    z.object({
      callId: Id,
      agentId: Id.nullable(),
      from: QualityLevel.nullable(),
      to: QualityLevel,
      second: Timestamp,
      metrics: SecondMetrics,
    }),
  ),
  callSummarized: quality(
    'quality.call-summarized',
    "Summary of a call's quality once it ended; later samples of the call are discarded.",
    z.object({
      callId: Id,
      agentId: Id.nullable(),
      worstLevel: QualityLevel.nullable(),
      secondsByLevel: SecondsByLevel,
      unratedSeconds: z.number().int().min(0).describe('measured seconds in which the remote end sent no packet'),
      firstSecond: Timestamp.nullable(),
      lastSecond: Timestamp.nullable(),
      averages: z.object({ lossRate: z.number(), jitterMs: z.number(), oneWayDelayMs: z.number(), mos: z.number() }).nullable(),
    }),
  ),
  managerNotified: quality(
    'quality.manager-notified',
    'An internal message about poor network quality was put in an OU manager inbox (at most one per 60 minutes).',
    z.object({
      messageId: Id,
      managerId: Id,
      orgUnitId: Id,
      callId: Id,
      agentId: Id,
      level: QualityLevel,
      second: Timestamp.describe('the second that confirmed the poor level'),
      metrics: SecondMetrics,
      notifiedAt: Timestamp,
    }),
  ),
  managerMessageRead: quality(
    'quality.manager-message-read',
    'The OU manager marked an internal message read.',
    z.object({ messageId: Id, managerId: Id }),
  ),
  managerMessageMailed: quality(
    'quality.manager-message-mailed',
    'The internal message was also delivered by mail to the SMTP server.',
    z.object({ messageId: Id, managerId: Id, to: Email }),
  ),
};

export type QualityEvent = EventOf<typeof qualityEvents>;

/**
 * One sample of one call as a gateway measures it (samples topic, and POST
 * /calls/:callId/quality/samples). Counters are cumulative since the start of
 * the call, as Table 2 of the guide expects.
 */
export const QualitySample = z.object({
  at: Timestamp,
  packetsReceived: z.number().int().min(0).describe('total packets received by the local end (the agent)'),
  packetsSent: z.number().int().min(0).describe('total packets sent by the remote end'),
  jitterMs: z.number().min(0).describe('receive jitter of the local end, in ms'),
  rttMs: z.number().min(0).describe('round-trip time, in ms'),
});
export type QualitySample = z.infer<typeof QualitySample>;

export const CallSamples = z.object({
  callId: Id,
  samples: z.array(QualitySample).min(1).max(3_600),
});
export type CallSamples = z.infer<typeof CallSamples>;

/**
 * One message of the samples topic: what a gateway measured on calls of one
 * tenant, typically every call it carries over the last second. Keyed by the
 * gateway (or the call): a call's samples always travel under the same key,
 * so they stay in order.
 */
export const QualitySampleBatch = z.object({
  tenantId: Id,
  calls: z.array(CallSamples).min(1).max(10_000),
});
export type QualitySampleBatch = z.infer<typeof QualitySampleBatch>;

/**
 * A message of a tenant's samples topic (`softphone.quality.samples.<tenantId>`):
 * the tenant is the topic's. A tenantId in the payload is optional and, when
 * present, must be the topic's (a message claiming another tenant is dead-lettered).
 */
export const QualitySamplesMessage = QualitySampleBatch.extend({ tenantId: Id.optional() });
export type QualitySamplesMessage = z.infer<typeof QualitySamplesMessage>;
