/**
 * The partition of a keyed message as kafkajs' DefaultPartitioner (and Java's
 * client) chooses it: murmur2 of the key's UTF-8 bytes, made positive, modulo
 * the partition count. kafkajs computes murmur2 in 64-bit BigInt arithmetic and
 * copies each key into a new Buffer (~1.3 µs per message in the relay bench, more
 * than the relay's own work per event); this is the same hash in 32-bit integer arithmetic
 * (only the low 32 bits of kafkajs' products reach its result) over a reused
 * scratch buffer. Same key, same partition: an aggregate's events stay on the
 * partition its earlier events went to.
 */
const SEED = 0x9747b28c;
const M = 0x5bd1e995;

const encoder = new TextEncoder();
let scratch = new Uint8Array(256);

export function partitionOfKey(key: string, partitionCount: number): number {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  if (scratch.length < key.length * 3) scratch = new Uint8Array(key.length * 3);
  const { written } = encoder.encodeInto(key, scratch);
  return (murmur2(scratch, written) & 0x7fffffff) % partitionCount;
}

/** Kafka's murmur2 (32-bit) of the first `length` bytes. */
function murmur2(data: Uint8Array, length: number): number {
  let h = SEED ^ length;
  const tail = length & ~3;
  for (let i = 0; i < tail; i += 4) {
    let k = data[i] | (data[i + 1] << 8) | (data[i + 2] << 16) | (data[i + 3] << 24);
    k = Math.imul(k, M);
    k ^= k >>> 24;
    k = Math.imul(k, M);
    h = Math.imul(h, M) ^ k;
  }
  const rest = length & 3;
  if (rest === 3) h ^= data[tail + 2] << 16;
  if (rest >= 2) h ^= data[tail + 1] << 8;
  if (rest >= 1) h = Math.imul(h ^ data[tail], M);
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h;
}
