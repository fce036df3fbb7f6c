/** core/coord/raft: Raft consensus as a pure state machine, its wire codec and limits. */
export * from './codec.js';
export * from './errors.js';
export * from './limits.js';
export * from './raft-node.js';
export * from './types.js';
