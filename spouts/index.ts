/** Ready-made spouts: a seeded generator, a file tail, the Barista log; their offset bookkeeping and stores. */
export * from './errors.js';
export * from './limits.js';
export * from './offset-tracker.js';
export * from './offset-store.js';
export * from './coord-offset-store.js';
export * from './generator-spout.js';
export * from './file-spout.js';
export { listOffset, partitionsOf, type StartFrom } from '../core/log/client/log-admin.js';
export * from './log-spout.js';
export * from './group-log-spout.js';
