/** core/coord/storage: durable Raft storage (segmented log, hard state, snapshots) on local disk. */
export * from './errors.js';
export * from './limits.js';
export { RaftDiskStorage, type RaftDiskStorageOptions } from './raft-disk-storage.js';
