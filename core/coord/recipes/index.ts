/** core/coord/recipes: ZooKeeper's classic recipes (locks, election, barriers, groups, counters) over CoordClient. */
export * from './barrier.js';
export * from './distributed-counter.js';
export * from './errors.js';
export * from './group-membership.js';
export * from './leader-election.js';
export * from './limits.js';
export * from './lock.js';
export * from './read-write-lock.js';
export { parseSequentialNode, sortedContenders, type LockHandle, type SequentialNode } from './sequential-nodes.js';
