/** Limits of the views (serving/views). Each bounds memory, the size of one stored record, or
 * how long one caller can be kept busy; the reason is next to each. */

/** Longest view name. Names appear in every key of the view, so they stay short. */
export const MAX_VIEW_NAME_CHARS = 64;

/** Longest key of a view (the user's key, before the view's prefix is added). */
export const MAX_VIEW_KEY_BYTES = 16 * 1024;

/** Longest partition name: a Kafka topic name (at most 249 chars) plus "-" and the partition. */
export const MAX_PARTITION_NAME_CHARS = 260;

/** Most partitions one view key's realtime record, or one set of cut-offs, may name. */
export const MAX_PARTITIONS_PER_VIEW = 4096;

/** Largest encoded monoid value (one batch value or one realtime bucket). A set or a count map
 * that grows past this is refused with ViewValueTooLargeError rather than slowing every write. */
export const MAX_ENCODED_VALUE_BYTES = 1024 * 1024;

/** Largest encoded realtime record (all partitions and buckets of one view key): it is rewritten
 * by every compare-and-set, so it must stay small. */
export const MAX_REALTIME_RECORD_BYTES = 4 * 1024 * 1024;

/** Most realtime buckets one partition of one key keeps. Buckets are dropped when a batch version
 * covering them goes live; hitting this means the batch layer is far behind, or the view's bucket
 * is too small for the partition's rate. */
export const MAX_REALTIME_BUCKETS_PER_PARTITION = 4096;

/** Offsets per realtime bucket when VIEW.CREATE / ViewCatalog.create is not told. Batch cut-offs
 * must end a bucket (see README), so this is also the granularity of batch cut-offs. */
export const DEFAULT_BUCKET_OFFSETS = 1000;

/** Largest bucket: 2^40 offsets keeps every bucket boundary a safe integer. */
export const MAX_BUCKET_OFFSETS = 2 ** 40;

/** Largest N of a `topn:<N>` monoid (items shown per value). */
export const MAX_TOPN_ITEMS = 1000;

/** Attempts of one compare-and-set loop (realtime apply, pointer swap, definition create) before
 * giving up with ViewContentionError. Every refused attempt means another writer succeeded. */
export const MAX_VIEW_COMPARE_AND_SET_ATTEMPTS = 32;

/** Times a reader starts over after finding that the batch version it read was retired under it
 * (it was two publishes behind). */
export const MAX_VIEW_READ_ATTEMPTS = 8;

/** Batch values written to the keyspace at once by one BatchLoad; `put` waits when this many are
 * in flight, so a bulk load never queues unbounded writes. */
export const MAX_CONCURRENT_BATCH_WRITES = 64;

/** Keyspace operations at once while a publish sweeps old versions or VIEW.TOP reads keys. */
export const MAX_CONCURRENT_SWEEP_OPERATIONS = 64;

/** Keys asked for per SCAN page when sweeping or ranking (a hint to the keyspace). */
export const SCAN_PAGE_KEYS = 1000;

/** Largest n of VIEW.TOP / ViewReader.top. */
export const MAX_TOP_N = 10_000;

/** Most distinct keys VIEW.TOP ranks; a larger view needs a precomputed ranking. */
export const MAX_TOP_CANDIDATE_KEYS = 1_000_000;

/** How long a realtime writer reuses the view pointer it read. A stale pointer is safe (it only
 * delays the dropping of buckets a batch covers); this saves a quorum read per delta. */
export const POINTER_CACHE_MS = 1000;

/** Precision (log2 of the register count) of an `hll` monoid without `:<p>`: 4096 one-byte
 * registers, a standard error of 1.04/sqrt(4096) ≈ 1.6%. */
export const DEFAULT_HLL_PRECISION = 12;

/** Smallest `hll:<p>`: 16 registers (26% standard error); the estimator's constants start there. */
export const MIN_HLL_PRECISION = 4;

/** Largest `hll:<p>`: 65536 registers (0.41% standard error) are 64 KiB per value in memory and in
 * every dense realtime bucket; register indexes also fit the sparse encoding's 16 bits. */
export const MAX_HLL_PRECISION = 16;

/** Longest name after `user:` in a user monoid's spec. */
export const MAX_USER_MONOID_NAME_CHARS = 64;

/** Most samples checkMonoidLaws takes: associativity is checked on every triple, n³ combines. */
export const MAX_MONOID_LAW_SAMPLES = 32;

/** Most offsets one partition of one realtime record keeps above its settled floor (the offsets
 * applied out of order, kept for exact dedup). They are the key's deltas not yet known to be fully
 * processed, so they stay within the source's unacked window (a log spout pauses a partition at
 * 10 000 pending offsets by default); 1-2 bytes each in the record. */
export const MAX_UNSETTLED_OFFSETS_PER_PARTITION = 16_384;
