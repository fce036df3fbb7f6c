/**
 * The sort-based shuffle with spill to disk: ShuffleWriter on the map side, readShufflePartition on
 * the reduce side, their typed errors and limits. Everything else in this folder is internal.
 */
export type { Aggregator, KeyOrdering } from './aggregator.js';
export * from './errors.js';
export * from './limits.js';
export { canonicalKey } from './canonical-key.js';
export { estimateSizeBytes } from './size-estimate.js';
export { mapOutputPaths, type MapStatus } from './map-output.js';
export { ShuffleWriter, type ShuffleWriterOptions, type ShuffleWriterStats } from './shuffle-writer.js';
export { readShufflePartition, ShufflePartitionReader, type ReadShufflePartitionOptions, type ShuffleReadStats } from './shuffle-reader.js';
