/** Limits and defaults of the log cleaner (compaction of cleanup.policy=compact topics). */

/** How often the cleaner looks at every compacted partition: Kafka's `log.cleaner.backoff.ms` is
 * 15 s; a partition is cleaned on a pass only if its dirty ratio passes the threshold below. */
export const CLEANER_INTERVAL_MS = 15_000;

/** Clean a partition once this share of its closed segments' bytes was written since its last
 * cleaning: Kafka's `min.cleanable.dirty.ratio` (0.5). */
export const MIN_CLEANABLE_DIRTY_RATIO = 0.5;

/** Tombstones (null values) stay this long so consumers that are behind see the delete: Kafka's
 * `delete.retention.ms` default (1 day). */
export const DEFAULT_DELETE_RETENTION_MS = 24 * 60 * 60 * 1000;

/** Distinct keys one cleaning remembers (key -> latest offset). Past it, the cleaning stops at the
 * last segment whose keys all fit (Kafka's `log.cleaner.dedupe.buffer.size` plays this role). */
export const MAX_OFFSET_MAP_KEYS = 1_000_000;

/** Largest batch the cleaner decompresses (a stored batch was validated with the same bound). */
export const MAX_CLEANED_BATCH_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

/** How long produce and the cleaner trust a topic's cleanup policy before reading coord again. */
export const POLICY_CACHE_TTL_MS = 5_000;
