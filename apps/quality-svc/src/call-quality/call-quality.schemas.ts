import { z } from 'zod';
import { QualityMeasurements, Timestamp } from '@softphone/contracts';

/**
 * A gateway's samples or the agent's browser's getStats reports. The
 * platform's JSON body limit (100 kB) holds about 900 samples or 15 reports;
 * larger batches go through the samples topic.
 */
export const SamplesBody = QualityMeasurements;

/** The samples of several calls of the gateway's tenant, as in a message of the samples topic; each call is checked on its own. */
export const BulkSamplesBody = z.strictObject({ calls: z.array(z.unknown()).min(1).max(5_000) });

export const HistoryQuery = z
  .strictObject({
    from: Timestamp.optional(),
    to: Timestamp.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(3_600),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['to'] });
