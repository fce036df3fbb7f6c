/** Partition log storage: segments of record batches v2 stored as received, sparse indexes, recovery. */
export { crc32c } from './crc32c.js';
export * from './errors.js';
export * from './limits.js';
export * from './record-batch.js';
export { LEADER_EPOCH_CHECKPOINT_FILE, LeaderEpochCache, UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET, type EpochEndOffset, type EpochEntry, type ReadonlyLeaderEpochCache } from './leader-epoch-cache.js';
export { PartitionLog, type AppendResult, type ClosedSegment, type PartitionLogOptions, type ReadResult } from './partition-log.js';
export type { FileRange } from './segment.js';
