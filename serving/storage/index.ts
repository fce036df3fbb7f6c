/** Key-value storage of one serving node: Bitcask-style data files, key directory, hints, merge. */
export { BitcaskStore, type BitcaskOptions, type FsyncPolicy, type IntervalScheduler, type KeyMetadata, type PutOptions, type StoredValue } from './bitcask-store.js';
export * from './errors.js';
export * from './limits.js';
export type { MergeOptions, MergeResult, MergeStep } from './merge.js';
export type { RecoveryReport, TruncatedFile } from './recovery.js';
export { RECORD_HEADER_BYTES } from './record.js';
