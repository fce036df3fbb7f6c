/** core/coord/tree: ZooKeeper 3.8's data tree as a pure, deterministic replicated state machine. */
export * from './acl.js';
export * from './builtin-nodes.js';
export * from './data-tree.js';
export * from './errors.js';
export * from './limits.js';
export { clientStat, kindOfOwner, ttlEphemeralOwner, ttlOfOwner } from './node.js';
export { sequentialSuffix } from './ops-create.js';
export * from './paths.js';
export * from './types.js';
