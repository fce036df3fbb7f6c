/** Stream groupings: how a tuple emitted on a stream is routed among a subscriber's tasks. */
export * from './errors.js';
export * from './limits.js';
export * from './grouping.js';
export * from './key-hash.js';
export * from './shuffle.js';
export * from './fields.js';
export * from './all.js';
export * from './global.js';
export * from './direct.js';
export * from './local-or-shuffle.js';
export * from './partial-key.js';
export * from './custom.js';
export * from './grouping-spec.js';
