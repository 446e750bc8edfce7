import { Logger } from '@nestjs/common';
import { z } from 'zod';
import { ContractViolation, Id, ID_PATTERN, type CallSamples } from '@softphone/contracts';
import type { IncomingMessage } from '@softphone/messaging';
import { admitCalls } from '../call-quality/admit-calls.js';

/** The envelope of a samples topic message (QualitySamplesMessage); each call in it is then admitted on its own. */
const MAX_CALLS = 10_000;
const Envelope = z.object({ tenantId: Id.optional(), calls: z.array(z.unknown()).min(1).max(MAX_CALLS) });
type Envelope = z.infer<typeof Envelope>;

const isId = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 64 && ID_PATTERN.test(v);

/**
 * The envelope checked by hand when it is plain (the hot path: one per message, 50,000 a second when each
 * message is one call); zod's verdict and error otherwise. Same outcome as `Envelope` for every input (its other
 * keys are ignored, as zod strips them).
 */
function envelopeOf(json: unknown): Envelope {
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const { tenantId, calls } = json as Record<string, unknown>;
    if ((tenantId === undefined || isId(tenantId)) && Array.isArray(calls) && calls.length > 0 && calls.length <= MAX_CALLS) {
      return { tenantId: tenantId as string | undefined, calls };
    }
  }
  const parsed = Envelope.safeParse(json);
  if (!parsed.success) throw new ContractViolation('invalid quality sample batch', parsed.error.issues);
  return parsed.data;
}

const logger = new Logger('SamplesConsumer');

/**
 * A message of a tenant's samples topic, for that tenant: the tenant comes from
 * the topic (only that tenant's gateways, and quality-svc for its HTTP API, may write it), never from the payload.
 * A call that fails its checks is dropped alone (logged); a message with no
 * admissible call at all is a contract violation. Its samples are of `nowMs`:
 * the time the message was produced, at the latest the service's clock.
 */
export function decodeSamples(message: IncomingMessage, tenantId: string, nowMs: number): CallSamples[] {
  let json: unknown;
  try {
    json = JSON.parse(message.value?.toString() ?? '');
  } catch {
    throw new ContractViolation('message is not JSON');
  }
  const envelope = envelopeOf(json);
  if (envelope.tenantId !== undefined && envelope.tenantId !== tenantId) {
    throw new ContractViolation(`the message claims tenant ${envelope.tenantId} on the samples topic of tenant ${tenantId}`);
  }
  const { calls, rejected } = admitCalls(envelope.calls, nowMs);
  if (calls.length === 0) {
    throw new ContractViolation(
      'invalid quality sample batch',
      rejected.map(({ path, message }) => ({ path, message })),
    );
  }
  for (const r of rejected) logger.warn(`tenant ${tenantId}: call ${r.callId ?? '?'} dropped: ${r.field}: ${r.message}`);
  return calls;
}
