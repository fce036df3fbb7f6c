/** Batch inputs: text files cut into byte-range splits, and snapshots of Barista log topics. */
export * from './errors.js';
export * from './limits.js';
export * from './text-splits.js';
export * from './log-snapshot.js';
export * from './text-split-blocks.js';
