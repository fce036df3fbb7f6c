/** serving/ring: the consistent-hashing ring (partitions, preference lists, diffs, stored form). */
export * from './errors.js';
export * from './limits.js';
export * from './ring.js';
export * from './ring-codec.js';
export * from './ring-diff.js';
export { xxhash64, xxhash64Key } from './xxhash64.js';
