/** The precondition every partitioner shares: a partition count in 1..MAX_PARTITIONS. */
import { InvalidPartitionCountError } from './errors.js';
import { MAX_PARTITIONS } from './limits.js';

export function checkPartitionCount(partitioner: string, numPartitions: number): void {
  if (!Number.isInteger(numPartitions) || numPartitions < 1 || numPartitions > MAX_PARTITIONS) {
    throw new InvalidPartitionCountError(partitioner, numPartitions, MAX_PARTITIONS);
  }
}
