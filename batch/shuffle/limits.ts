/**
 * Limits of the sort-based shuffle. Every buffer, frame and fan-in the shuffle uses is bounded by
 * one of these named constants, so a skewed key, a huge record or a corrupt file cannot make an
 * executor allocate without bound: past a limit the shuffle spills, splits or fails with a typed
 * error naming the limit.
 */

/** Bytes of a frame header: payload length, CRC-32 of the payload and record count, each a
 * big-endian uint32. */
export const FRAME_HEADER_BYTES = 12;

/** A frame (one v8-serialised array of records) is closed once its records' estimated size reaches
 * this. 64 KiB amortises the serialiser's per-call cost and the length prefix over many records while
 * keeping one decoded frame per merged run small. */
export const FRAME_TARGET_BYTES = 64 * 1024;

/** Most records in one frame, whatever their size: bounds the array a reader decodes at once. */
export const FRAME_MAX_RECORDS = 4096;

/** Default largest serialised size of one record. Records beyond it are refused with
 * RecordTooLargeError: a record must fit in memory whole on both sides of the shuffle. */
export const DEFAULT_MAX_RECORD_BYTES = 64 * 1024 * 1024;

/** Largest frame payload a reader accepts; a larger declared length means a corrupt file, not a
 * record (writers never produce one: maxRecordBytes may not exceed it). */
export const MAX_FRAME_PAYLOAD_BYTES = 512 * 1024 * 1024;

/** Default memory budget of one writer or reader for buffered records before it spills to disk. */
export const DEFAULT_MEMORY_LIMIT_BYTES = 64 * 1024 * 1024;

/** Smallest memory budget accepted: below this every record would be a spill of its own. */
export const MIN_MEMORY_LIMIT_BYTES = 4 * 1024;

/** Most sorted runs merged at once (Hadoop's io.sort.factor). Each open run holds a file descriptor
 * and one decoded frame, so this bounds merge memory at roughly MERGE_FAN_IN frames; more runs are
 * merged in levels first. */
export const MERGE_FAN_IN = 32;

/** Bytes of one index file entry: a big-endian int64 byte offset, as in Spark's index files. */
export const INDEX_ENTRY_BYTES = 8;

/** Most reduce partitions a shuffle may have (bounds the index file and per-partition arrays). */
export const MAX_REDUCE_PARTITIONS = 1_000_000;

/** Elements of an array, Map, Set or object inspected by the size estimator; the rest is
 * extrapolated from their average. */
export const SIZE_SAMPLE_ELEMENTS = 16;

/** Nesting depth the size estimator descends to; deeper values count a fixed size. */
export const SIZE_ESTIMATE_MAX_DEPTH = 4;

/** Estimated heap bytes of one buffered record beyond its key and value: the pair array or map
 * entry, and the slot that points at it. */
export const RECORD_OVERHEAD_BYTES = 48;

