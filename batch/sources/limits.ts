/**
 * Limits and defaults of the batch sources. A split is one task's input, a line is held whole in
 * memory, a fetch is held whole in memory: each is bounded here.
 */

/** Text files: the default split size (Hadoop's block size of old, Spark's 32 MiB local default). */
export const DEFAULT_TARGET_SPLIT_BYTES = 32 * 1024 * 1024;
export const MIN_TARGET_SPLIT_BYTES = 1;
/** Most splits one plan may make (tasks of the first stage). */
export const MAX_TEXT_SPLITS = 1_000_000;
/** A line longer than this is refused (LINE_TOO_LONG): a binary file or a missing newline. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024 * 1024;
/** Bytes read per fs.readSync call. */
export const TEXT_READ_CHUNK_BYTES = 64 * 1024;
/** Hadoop's SPLIT_SLOP: a tail of up to 10% of the split size stays in the last split instead of
 * making a tiny one. */
export const SPLIT_SLOP = 1.1;

/** Log snapshots: bytes per Fetch (per partition) and its long-poll wait. */
export const DEFAULT_LOG_FETCH_MAX_BYTES = 1024 * 1024;
export const MAX_LOG_FETCH_MAX_BYTES = 64 * 1024 * 1024;
export const LOG_FETCH_MAX_WAIT_MS = 100;
/** Fetches in a row that may return nothing below the cut-off before the read gives up: the data
 * is below the high watermark, so an empty answer means a leader change or a truncated log. */
export const MAX_EMPTY_LOG_FETCHES = 50;

/** Bytes read and decoded at once by forEachLineOfSplit. */
export const TEXT_BLOCK_BYTES = 1024 * 1024;
