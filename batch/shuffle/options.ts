/**
 * Validation of the options shared by the shuffle writer and reader, so both refuse a bad memory
 * budget or record limit the same way, with InvalidShuffleOptionError naming the option.
 */
import { InvalidShuffleOptionError } from './errors.js';
import { MAX_FRAME_PAYLOAD_BYTES, MAX_REDUCE_PARTITIONS, MIN_MEMORY_LIMIT_BYTES } from './limits.js';

export function checkMemoryLimit(memoryLimitBytes: number): void {
  if (!Number.isFinite(memoryLimitBytes) || memoryLimitBytes < MIN_MEMORY_LIMIT_BYTES) {
    throw new InvalidShuffleOptionError('memoryLimitBytes', memoryLimitBytes, `a number of bytes ≥ ${MIN_MEMORY_LIMIT_BYTES}`);
  }
}

export function checkMaxRecordBytes(maxRecordBytes: number): void {
  if (!Number.isInteger(maxRecordBytes) || maxRecordBytes < 1 || maxRecordBytes > MAX_FRAME_PAYLOAD_BYTES) {
    throw new InvalidShuffleOptionError('maxRecordBytes', maxRecordBytes, `an integer in 1..${MAX_FRAME_PAYLOAD_BYTES}`);
  }
}

export function checkPartitionIndex(option: string, partition: number, numPartitions: number): void {
  if (!Number.isInteger(partition) || partition < 0 || partition >= numPartitions) {
    throw new InvalidShuffleOptionError(option, partition, `an integer in 0..${numPartitions - 1}`);
  }
}

export function checkPartitionCount(numPartitions: number): void {
  if (!Number.isInteger(numPartitions) || numPartitions < 1 || numPartitions > MAX_REDUCE_PARTITIONS) {
    throw new InvalidShuffleOptionError('partitioner.numPartitions', numPartitions, `an integer in 1..${MAX_REDUCE_PARTITIONS}`);
  }
}
