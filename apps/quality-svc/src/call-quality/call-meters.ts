import { Injectable } from '@nestjs/common';
import type { UnitOfWork } from '@softphone/event-store';
import { metadataFor } from '@softphone/platform';
import { streamState } from '../ingestion/partition-meters.js';
import { callQualityDecider, callQualityStream } from './call-quality.decider.js';
import { summarizeCall } from './call-summary.js';
import { loadMeters, saveMeters } from './meter-table.js';

/**
 * The end of a call's meter. Its samples are measured by the instance owning
 * its samples partition (ingestion/); a meter closed here is seen closed by
 * that owner's next checkpoint, which then drops what it had not written.
 */
@Injectable()
export class CallMeters {
  /** The call ended: its summary is published and its later samples will be discarded. */
  async close(uow: UnitOfWork, tenantId: string, callId: string, agentId: string | null): Promise<void> {
    const [current] = await loadMeters(uow.sql, [{ tenantId, callId }]);
    const summary = await summarizeCall(uow.sql, tenantId, callId);
    const events = callQualityDecider.decide({ type: 'Summarize', callId, agentId, summary }, streamState(current.state));
    // The stream's own version: the meter row's is its last snapshot's, the owner appends between snapshots.
    const stream = callQualityStream(tenantId, callId);
    const version = (await uow.readStream(stream)).at(-1)?.streamVersion ?? 0;
    await uow.append(stream, version, events, metadataFor(tenantId));
    await saveMeters(uow.sql, [{ ...current, state: { ...current.state, closed: true }, version: version + events.length }]);
  }
}
