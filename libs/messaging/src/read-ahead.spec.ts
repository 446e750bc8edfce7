import { describe, expect, it } from '@jest/globals';
import { START, type Checkpoint, type EncodedEvent } from '@softphone/event-store';
import { ReadAhead } from './read-ahead.js';

/** A log of `size` events read `limit` at a time after a checkpoint (positions 1..size); every read is recorded. */
function log(size: number, limit: number) {
  const reads: string[] = [];
  const read = async (after: Checkpoint): Promise<EncodedEvent[]> => {
    reads.push(after.position);
    const from = Number(after.position);
    return Array.from({ length: Math.max(0, Math.min(limit, size - from)) }, (_, i) => {
      const position = String(from + i + 1);
      return { position, transactionId: '1', id: position } as EncodedEvent;
    });
  };
  return { reads, read };
}

async function drain(reads: ReadAhead): Promise<string[]> {
  const positions: string[] = [];
  for (let batch = await reads.next(); batch.events.length > 0; batch = await reads.next())
    positions.push(...batch.events.map((e) => e.position));
  return positions;
}

describe('ReadAhead', () => {
  it('reads batch after batch in log order, and stops after the first short batch', async () => {
    const { reads, read } = log(7, 3);
    expect(await drain(new ReadAhead(read, START, 3, 3))).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(reads).toEqual(['0', '3', '6']);
  });

  it('one event at the log’s end is one read, without an empty one beside its publish', async () => {
    const { reads, read } = log(1, 500);
    expect(await drain(new ReadAhead(read, START, 3, 500))).toEqual(['1']);
    expect(reads).toEqual(['0']);
  });

  it('a log of whole batches ends with an empty read', async () => {
    const { reads, read } = log(6, 3);
    expect(await drain(new ReadAhead(read, START, 3, 3))).toEqual(['1', '2', '3', '4', '5', '6']);
    expect(reads).toEqual(['0', '3', '6']);
  });
});
