import { z } from 'zod';
import { CallSamples, Timestamp } from '@softphone/contracts';

/** The platform's JSON body limit (100 kB) holds about 900 samples; larger batches go through the samples topic. */
export const SamplesBody = z.strictObject({ samples: CallSamples.shape.samples });

/** The samples of several calls of the gateway's tenant, as in a message of the samples topic. */
export const BulkSamplesBody = z.strictObject({ calls: z.array(CallSamples.strict()).min(1).max(5_000) });

export const HistoryQuery = z
  .strictObject({
    from: Timestamp.optional(),
    to: Timestamp.optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(3_600),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['to'] });
