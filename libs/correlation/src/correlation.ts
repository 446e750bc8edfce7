import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

export interface CorrelationScope {
  correlationId: string;
  /** Id of the message or request being handled: the causation of what it produces. */
  causationId?: string | null;
}

const storage = new AsyncLocalStorage<CorrelationScope>();

/** Runs work with a correlation id visible to logs and to the events it appends. */
export function withCorrelation<T>(scope: CorrelationScope, work: () => T): T {
  return storage.run(scope, work);
}

export function currentCorrelation(): CorrelationScope | undefined {
  return storage.getStore();
}

export function newCorrelationId(): string {
  return randomUUID();
}
