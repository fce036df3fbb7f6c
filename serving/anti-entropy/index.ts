/** serving/anti-entropy: Merkle trees over ring partitions and their level-by-level comparison. */
export * from './errors.js';
export * from './limits.js';
export * from './merkle-exchange.js';
export * from './merkle-tree.js';
