/** Partitioners of pair RDDs (hash and range) and the default key ordering. */
export * from './errors.js';
export * from './limits.js';
export type { Partitioner } from './partitioner.js';
export * from './ordering.js';
export * from './hash-partitioner.js';
export * from './range-partitioner.js';
