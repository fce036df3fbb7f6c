/** Limits and defaults of partition log storage (names carry units; see STYLE.md). */

/** Largest record batch accepted on append: Kafka's default `message.max.bytes` (1 MiB + the
 * 12-byte log overhead). A larger declared length while scanning a file can only be garbage. */
export const MAX_BATCH_BYTES = 1_048_588;

/** Roll to a new segment file past this size: Kafka's `log.segment.bytes` default (1 GiB). */
export const DEFAULT_SEGMENT_BYTES = 1024 * 1024 * 1024;

/** Index entries store file positions as int32, so no segment may reach 2 GiB. */
export const MAX_SEGMENT_BYTES = 0x7fff_ffff;

/** Roll to a new segment after this long even if it is small: Kafka's `log.roll.ms` (7 days). */
export const DEFAULT_SEGMENT_MS = 7 * 24 * 60 * 60 * 1000;

/** One sparse index entry per this many log bytes: Kafka's `log.index.interval.bytes`. */
export const DEFAULT_INDEX_INTERVAL_BYTES = 4096;

/** Index entries store offsets relative to the segment base as int32: roll before overflowing. */
export const MAX_RELATIVE_OFFSET = 0x7fff_ffff;

/** Retention defaults: keep everything by size (-1), 7 days by time (Kafka's defaults). */
export const DEFAULT_RETENTION_BYTES = -1;
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

/** fsync after this many messages: by default never on append (Kafka relies on replication). */
export const DEFAULT_FLUSH_EVERY_MESSAGES = Number.POSITIVE_INFINITY;

/** Recovery and index rebuilds read segment files in chunks of this size, so a 1 GiB segment is
 * never held in memory at once. */
export const SCAN_CHUNK_BYTES = 1024 * 1024;

/** Offset lookups read this much past an index entry: an interval plus one header covers the
 * batches between two index entries in one read in the common case. */
export const LOOKUP_CHUNK_BYTES = 2 * DEFAULT_INDEX_INTERVAL_BYTES;
