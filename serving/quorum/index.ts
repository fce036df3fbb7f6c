/**
 * serving/quorum: Dynamo-style replication bookkeeping, pure: versioned values and their merge,
 * the coordinator of one request (sloppy quorum, read repair), hinted handoff, failure detection.
 * Sockets and storage call these; they never call out.
 */
export * from './coordinator.js';
export * from './errors.js';
export * from './failure-detector.js';
export * from './hinted-handoff.js';
export * from './limits.js';
export * from './versioned-value.js';
export { decode as decodeVersionedValue, encode as encodeVersionedValue, encodedSize as encodedVersionedValueSize } from './versioned-value-codec.js';
