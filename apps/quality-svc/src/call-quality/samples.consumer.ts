import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { ContractViolation, Id, type QualitySampleBatch, type Topics } from '@softphone/contracts';
import type { IncomingMessage } from '@softphone/messaging';
import { CLOCK, MessagingLifecycle, TOPICS, type Clock } from '@softphone/platform';
import { admitCalls } from './admit-calls.js';
import { CallMeters } from './call-meters.js';

/**
 * Messages per transaction, at most: a few statements per chunk whatever its
 * size, so bigger chunks mean fewer commits. A fetch brings at most 1 MB per
 * partition, about 5,000 samples however they are packed in messages.
 */
const CHUNK_SIZE = 5_000;
const GROUP_MEMBERS = 2;

/** The envelope of a samples topic message (QualitySamplesMessage); each call in it is then admitted on its own. */
const Envelope = z.object({ tenantId: Id.optional(), calls: z.array(z.unknown()).min(1).max(10_000) });

const logger = new Logger('SamplesConsumer');

/**
 * A message of a tenant's samples topic, for that tenant: the tenant comes from
 * the topic (only that tenant's gateways may write it), never from the payload.
 * A call that fails its checks is dropped alone (logged); a message with no
 * admissible call at all is a contract violation. Its samples are of `nowMs`:
 * the time the message was produced, at the latest the service's clock.
 */
function decodeSampleBatch(message: IncomingMessage, topics: Topics, nowMs: number): QualitySampleBatch {
  const tenantId = topics.tenantOfSamplesTopic(message.topic);
  if (!tenantId) throw new ContractViolation(`${message.topic} is not a tenant's samples topic`);
  let json: unknown;
  try {
    json = JSON.parse(message.value?.toString() ?? '');
  } catch {
    throw new ContractViolation('message is not JSON');
  }
  const parsed = Envelope.safeParse(json);
  if (!parsed.success) throw new ContractViolation('invalid quality sample batch', parsed.error.issues);
  if (parsed.data.tenantId !== undefined && parsed.data.tenantId !== tenantId) {
    throw new ContractViolation(`the message claims tenant ${parsed.data.tenantId} on the samples topic of tenant ${tenantId}`);
  }
  const { calls, rejected } = admitCalls(parsed.data.calls, nowMs);
  if (calls.length === 0) {
    throw new ContractViolation(
      'invalid quality sample batch',
      rejected.map(({ path, message }) => ({ path, message })),
    );
  }
  for (const r of rejected) logger.warn(`tenant ${tenantId}: call ${r.callId ?? '?'} dropped: ${r.field}: ${r.message}`);
  return { tenantId, calls };
}

/**
 * The tenants' samples topics gateways write to (each tenant's own, found as they are created). A redelivered message is applied once
 * (inbox by offset, and samples already measured are duplicates anyway); a
 * malformed one is dead-lettered with the reason, a malformed call in it dropped alone.
 */
@Injectable()
export class SamplesConsumer implements OnModuleInit {
  constructor(
    private readonly messaging: MessagingLifecycle,
    private readonly meters: CallMeters,
    @Inject(TOPICS) private readonly topics: Topics,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    // Members of one consumer group, each with its share of the partitions: while one waits for PostgreSQL, the other computes.
    for (let member = 0; member < GROUP_MEMBERS; member++) {
      this.messaging.consume<QualitySampleBatch>('samples', {
        topics: [],
        topicPrefix: this.topics.qualitySamplesPrefix,
        chunkSize: CHUNK_SIZE,
        // Measured when produced: a backlog (consumer lag, a rebalance, a restart) is not stale. Never later than our clock.
        decode: (message) => decodeSampleBatch(message, this.topics, Math.min(message.timestamp, this.clock.now().getTime())),
        // Tenant (the topic), partition and offset identify a message.
        messageId: (batch, message) => `${batch.tenantId}/${message.partition}/${message.offset}`,
        handle: async (items, uow) => {
          await this.meters.ingest(
            uow,
            items.map((i) => i.value),
          );
        },
      });
    }
  }
}
