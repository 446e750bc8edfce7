import { z } from 'zod';
import { Email, Id, QualityLevel, Timestamp } from '../common.js';
import { defineEvent, defineInternalEvent, type EventOf } from '../define-event.js';

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

export const QualityReason = z
  .enum(['loss', 'jitter', 'delay', 'no-audio', 'one-way'])
  .describe('why a second is Poor or worse: a Table 1 threshold crossed, no packets at all, or media in one direction only');
export type QualityReason = z.infer<typeof QualityReason>;

export const MediaKind = z.enum(['audio', 'video']);
export type MediaKind = z.infer<typeof MediaKind>;

export const QualitySide = z
  .enum(['agent-receive', 'remote-receive'])
  .describe("whose receive direction was measured: the agent's (inbound-rtp) or the remote end's (remote-inbound-rtp)");
export type QualitySide = z.infer<typeof QualitySide>;

export const PoorReason = z.object({
  reason: QualityReason,
  kind: MediaKind,
  side: QualitySide,
  value: z
    .number()
    .min(0)
    .describe('the measured value behind the reason: loss fraction, jitter ms, one-way delay ms, or seconds without packets'),
});
export type PoorReason = z.infer<typeof PoorReason>;

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
  callWentPoor: quality(
    'quality.call-went-poor',
    "The call met the alert rule (M of its last N measured seconds Poor or worse): what an OU manager's message is about. The reasons carry the measured values of the seconds that met it.",
    z.object({
      callId: Id,
      agentId: Id.nullable(),
      second: Timestamp.describe('the second that completed the rule'),
      rule: z.object({ poorSeconds: z.number().int().min(1), ofLastSeconds: z.number().int().min(1) }),
      level: QualityLevel.describe('the worst level among the seconds that met the rule'),
      reasons: z.array(PoorReason).min(1),
      metrics: SecondMetrics.describe('the worst of those seconds'),
    }),
  ),
  callRecovered: quality(
    'quality.call-recovered',
    'After going poor, the call had enough consecutive seconds better than Poor: the alert clears (no flapping).',
    z.object({
      callId: Id,
      agentId: Id.nullable(),
      second: Timestamp.describe('the last of the good-enough seconds that cleared the alert'),
      poorSince: Timestamp.describe('the second of the matching quality.call-went-poor'),
    }),
  ),
  managerNotified: defineEvent(
    'quality',
    'quality.manager-notified',
    2,
    "An internal message about a call gone poor was put among an OU manager's messages (at most one message per 60 minutes), naming why: the reasons with their measured values and sides. v2 added `reasons` (a v1 event reads as v2 with none: `upcastManagerNotified`).",
    z.object({
      messageId: Id,
      managerId: Id,
      orgUnitId: Id,
      callId: Id,
      agentId: Id,
      level: QualityLevel,
      second: Timestamp.describe('the second that completed the alert rule'),
      reasons: z.array(PoorReason).describe('why the call went poor, from quality.call-went-poor'),
      metrics: SecondMetrics,
      notifiedAt: Timestamp,
    }),
  ),
  managerDigestNotified: quality(
    'quality.manager-digest-notified',
    "The hour's digest was put among an OU manager's messages: the calls that went poor while its messages were held by the 60-minute rule. It is the manager's one message of the next 60 minutes.",
    z.object({
      messageId: Id,
      managerId: Id,
      hourStart: Timestamp.describe("the manager's previous message: the hour the digest covers starts there"),
      hourEnd: Timestamp.describe('60 minutes later'),
      poorCalls: z.number().int().min(1).describe('calls that went poor in that hour'),
      level: QualityLevel.describe('the worst level among them'),
      agents: z
        .array(z.object({ agentId: Id, poorCalls: z.number().int().min(1) }))
        .min(1)
        .describe('their agents, most affected first'),
      worstReasons: z
        .array(PoorReason.extend({ callId: Id, agentId: Id }))
        .describe('for each reason, the worst measured value in the hour and where'),
      notifiedAt: Timestamp,
    }),
  ),
  managerAlertHeld: defineInternalEvent(
    'quality',
    'quality.manager-alert-held',
    "A call went poor within 60 minutes of the manager's last message: held for the hour's digest, due at `digestDueAt`.",
    z.object({
      alertId: Id,
      managerId: Id,
      orgUnitId: Id,
      callId: Id,
      agentId: Id,
      level: QualityLevel,
      second: Timestamp,
      reasons: z.array(PoorReason),
      heldAt: Timestamp,
      digestDueAt: Timestamp,
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

type ManagerNotified = z.infer<typeof qualityEvents.managerNotified.data>;

/**
 * A stored quality.manager-notified of any version, as the current one: v1 had
 * no reasons (a message from before them names none). Readers of the store call
 * it; a freshly decided event (no schemaVersion) is already current.
 */
export function upcastManagerNotified(event: { schemaVersion?: number; data: unknown }): ManagerNotified {
  const data = event.data as ManagerNotified;
  return event.schemaVersion === 1 ? { ...data, reasons: [] } : data;
}

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

/**
 * One measured second of one call, as published on the ephemeral seconds topic
 * (`softphone.quality.seconds`, keyed by call, kept an hour) for live charts.
 * Not an event of the event store: level changes and alerts are.
 */
export const QualitySecond = z.object({
  callId: Id,
  agentId: Id.nullable(),
  second: Timestamp,
  level: QualityLevel.nullable().describe('null when the second could not be rated'),
  metrics: SecondMetrics.nullable(),
  flags: z.array(z.enum(['interpolated', 'no-audio', 'one-way'])),
});
export type QualitySecond = z.infer<typeof QualitySecond>;

/** A message of the seconds topic: measured seconds of one tenant's calls. */
export const QualitySecondsMessage = z.object({ tenantId: Id, seconds: z.array(QualitySecond).min(1).max(10_000) });
export type QualitySecondsMessage = z.infer<typeof QualitySecondsMessage>;
