/**
 * Limits of anti-entropy (Merkle trees exchanged between replicas of a partition). Everything a
 * tree accepts from a peer is checked against these, so a hostile or corrupt message cannot make a
 * node allocate a huge tree or loop over nodes that do not exist.
 */

/** Default children per inner node. */
export const DEFAULT_MERKLE_FANOUT = 16;

/** Default levels below the root: 16² = 256 leaves per partition. With the ring's default 4096
 * partitions that is ~1M leaves cluster-wide, i.e. a leaf per ~100 keys at 100M keys: a difference
 * costs one small leaf exchange, and a tree costs 256 × 32 bytes of leaf hashes. */
export const DEFAULT_MERKLE_DEPTH = 2;

export const MIN_MERKLE_FANOUT = 2;
export const MAX_MERKLE_FANOUT = 256;
export const MAX_MERKLE_DEPTH = 16;

/** Most leaves a tree may have (fanout^depth): 65 536 leaves hold 2 MiB of hashes. */
export const MAX_MERKLE_LEAVES = 1 << 16;

/** Longest value digest accepted (SHA-512 size). */
export const MAX_VALUE_DIGEST_BYTES = 64;

/** Version of the serialised level message; a reader refuses versions it does not know. */
export const MERKLE_LEVEL_FORMAT_VERSION = 1;
