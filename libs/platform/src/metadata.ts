import { currentCorrelation, newCorrelationId } from '@softphone/correlation';
import type { EventMetadata } from '@softphone/event-store';

/** Metadata for events appended while handling the current request or message. */
export function metadataFor(tenantId: string): EventMetadata {
  const scope = currentCorrelation();
  return { tenantId, correlationId: scope?.correlationId ?? newCorrelationId(), causationId: scope?.causationId ?? null };
}
