/** The API topologies are written against: spouts, bolts, tuples, collectors, configuration. */
export * from './errors.js';
export * from './limits.js';
export * from './config.js';
export * from './tuple.js';
export * from './context.js';
export * from './spout.js';
export * from './bolt.js';
