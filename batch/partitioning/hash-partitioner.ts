/**
 * Spark's HashPartitioner: partition = hash(key) mod numPartitions, where hash is the topology's
 * stable key hash (core/topology/groupings/key-hash: FNV-1a over a canonical, type-tagged encoding,
 * finished with fmix32). So the same key lands in the same partition in every executor thread,
 * process, machine and run; -0 and 0 are the same key; arrays and plain objects are keys by
 * structure (object property order does not matter); 1 and 1n, or 1 and '1', are different keys.
 * Unlike Java's hashCode it never depends on object identity, so any structured key works.
 */
import { canonicalKey, hashCanonicalKey } from '../../core/topology/groupings/key-hash.js';
import type { GroupingLocation } from '../../core/topology/groupings/errors.js';
import { UnhashableKeyError } from './errors.js';
import { checkPartitionCount } from './check-partition-count.js';
import type { Partitioner } from './partitioner.js';

/** canonicalKey names a topology location in its errors; ours are rethrown as UnhashableKeyError. */
const NO_GROUPING: GroupingLocation = { componentId: 'HashPartitioner', sourceComponentId: 'batch', streamId: 'shuffle' };

/** The stable hash of one key (unsigned 32 bits); exported for tests and for map-side bucketing. */
export function hashOfKey(key: unknown): number {
  let encoded: string;
  try {
    encoded = canonicalKey([key], NO_GROUPING);
  } catch (error) {
    const detail = error instanceof Error ? error.message.replace(/^.*?: /, '') : String(error);
    throw new UnhashableKeyError(detail, error);
  }
  return hashCanonicalKey(encoded);
}

export class HashPartitioner implements Partitioner {
  constructor(readonly numPartitions: number) {
    checkPartitionCount('HashPartitioner', numPartitions);
  }

  getPartition(key: unknown): number {
    return hashOfKey(key) % this.numPartitions;
  }

  equals(other: Partitioner): boolean {
    return other instanceof HashPartitioner && other.numPartitions === this.numPartitions;
  }

  describe(): string {
    return `HashPartitioner(${this.numPartitions})`;
  }
}
