import { describe, expect, it } from '@jest/globals';
import { Partitioners, type PartitionMetadata } from 'kafkajs';
import { partitionOfKey } from './key-partition.js';

const kafkajs = Partitioners.DefaultPartitioner();
const metadata = (count: number): PartitionMetadata[] =>
  Array.from({ length: count }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));

/** A reproducible sequence of keys: every tail length, ASCII and multi-byte UTF-8, lone surrogates. */
function keys(): string[] {
  let seed = 42;
  const next = () => (seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0);
  const alphabet = ['a', 'Z', '0', '-', ':', 'é', 'ß', '中', '😀', '\u0000', '\ud800', '\udfff', '\u007f', '\u0080', '\u07ff', '\u0800'];
  const out = ['', 'call-1', 'agent-0b7c6f1e-2f44-4c1d-9d0a-5a8f3c2e9b11', '7d2c1a9e-5b3f-4e8d-a1c6-0f9b8e7d6c5a'];
  for (let i = 0; i < 5_000; i++) {
    const length = next() % 40;
    let key = '';
    for (let j = 0; j < length; j++) key += next() % 3 === 0 ? alphabet[next() % alphabet.length] : String.fromCharCode(32 + (next() % 95));
    out.push(key);
  }
  return out;
}

describe('partitionOfKey: the partition kafkajs default partitioner gives a key', () => {
  it.each([1, 3, 6, 12, 100])('agrees with kafkajs for %i partitions', (count) => {
    const partitionMetadata = metadata(count);
    const all = keys();
    expect(all.map((key) => partitionOfKey(key, count))).toEqual(
      all.map((key) => kafkajs({ topic: 't', partitionMetadata, message: { key, value: null } })),
    );
  });

  it('handles a key longer than any before it', () => {
    const key = 'x'.repeat(10_000) + '😀';
    expect(partitionOfKey(key, 6)).toBe(kafkajs({ topic: 't', partitionMetadata: metadata(6), message: { key, value: null } }));
  });
});
