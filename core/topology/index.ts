/** core/topology: Storm-style topologies — build them, run them, track their tuples. */
export * from './api/index.js';
export * from './builder/index.js';
export * from './groupings/index.js';
export * from './runtime/index.js';
