/** serving/keyspace: the keyspace the Redis command layer runs on, and its in-memory reference. */
export * from './errors.js';
export * from './keyspace.js';
export * from './limits.js';
export { MemoryKeyspace, type MemoryKeyspaceOptions } from './memory-keyspace.js';
