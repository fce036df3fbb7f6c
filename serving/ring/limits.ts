/**
 * Limits of the consistent-hashing ring. Everything a ring accepts from the membership list or
 * from its stored form is checked against these, so a bad znode cannot make a node allocate a
 * huge partition table or loop forever looking for replicas.
 */

/** Default fewest virtual nodes (partitions) each physical node holds (see ring.ts for why
 * partitions are claimed rather than hashed). */
export const DEFAULT_VNODES_PER_NODE = 256;

/** Default most nodes a ring is sized for: with 256 vnodes, Q = 4096 partitions (8 KiB stored). */
export const DEFAULT_MAX_NODES = 16;

/** Most virtual nodes per physical node a ring may ask for. */
export const MAX_VNODES_PER_NODE = 4096;

/** Most partitions of the 64-bit hash space (a power of two). Owners are stored as u16, and a ring of
 * this size serialises to 128 KiB, well inside a znode's 1 MiB. */
export const MAX_PARTITIONS = 1 << 16;

/** Most physical nodes any ring may be sized for. */
export const MAX_RING_NODES = 1024;

/** Longest node id, in UTF-16 code units. */
export const MAX_NODE_ID_LENGTH = 255;

/** Default number of consecutive partitions the claim keeps on distinct nodes when it can: the
 * default replication factor N, so a key's replicas are simply the next N partitions' owners and
 * every node's replicated share is N times its own share. */
export const DEFAULT_DISTINCT_WINDOW = 3;

/** Largest distinct window accepted. */
export const MAX_DISTINCT_WINDOW = 16;

/** Seed of the key hash. Fixed forever: changing it would move every key. */
export const KEY_HASH_SEED = 0n;

/** Version of the serialised ring; a reader refuses versions it does not know. */
export const RING_FORMAT_VERSION = 1;

/** How many of its next preferred partitions a joining node weighs before taking one. More gives a
 * more even replicated share for a slower join; the result stays deterministic either way. */
export const CLAIM_LOOKAHEAD_PARTITIONS = 8;

/** Longest stretch of partitions whose replicas one ownership change may alter before the claim
 * recomputes coverage from scratch instead of incrementally (long runs of one owner). */
export const MAX_COVERAGE_REACH = 64;
