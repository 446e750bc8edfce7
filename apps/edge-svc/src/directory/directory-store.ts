import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import type { DirectoryCheckpoint } from './directory.js';

/**
 * Where the edge keeps its directory between starts: one Redis key per environment (topic prefix), written by any
 * instance (each checkpoint is consistent on its own: the org units and the offsets they are complete up to). Fails
 * open: without Redis, or without a checkpoint, an instance reads the tenant and agent topics from their beginning.
 */
export class DirectoryStore {
  private readonly logger = new Logger('DirectoryStore');
  private readonly redis: Redis;

  constructor(
    redisUrl: string,
    readonly key: string,
  ) {
    this.redis = new Redis(redisUrl, {
      maxRetriesPerRequest: 1,
      retryStrategy: (attempt: number) => Math.min(attempt * 100, 1_000),
      disconnectTimeout: 500,
    });
    this.redis.on('error', () => undefined);
  }

  async load(): Promise<DirectoryCheckpoint | null> {
    try {
      const text = await this.withTimeout(this.redis.get(this.key));
      return text ? (JSON.parse(text) as DirectoryCheckpoint) : null;
    } catch (error) {
      this.logger.warn(`no directory checkpoint (${(error as Error).message}): reading the topics from their beginning`);
      return null;
    }
  }

  async save(checkpoint: DirectoryCheckpoint): Promise<void> {
    try {
      await this.withTimeout(this.redis.set(this.key, JSON.stringify(checkpoint)));
    } catch (error) {
      this.logger.warn(`directory checkpoint not saved: ${(error as Error).message}`);
    }
  }

  close(): void {
    this.redis.disconnect();
  }

  private withTimeout<T>(operation: Promise<T>, ms = 5_000): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    return Promise.race([
      operation,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Redis did not answer within ${ms} ms`)), ms))),
    ]).finally(() => clearTimeout(timer));
  }
}
