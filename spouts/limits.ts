/**
 * Limits and defaults of the ready-made spouts. Every queue a spout keeps (pending offsets,
 * lines held for replay, records fetched ahead) has a bound here, so a stalled topology makes a
 * spout stop reading instead of growing without end.
 */

/** Most tuples one nextTuple call emits: long enough to amortise the call, short enough that acks
 * and fails (delivered between calls) are not held back. */
export const MAX_EMITS_PER_NEXT_TUPLE = 256;
export const DEFAULT_EMITS_PER_NEXT_TUPLE = 64;

/** Generator spout. */
export const DEFAULT_GENERATOR_SEED = 1;
export const MAX_GENERATOR_RATE_PER_SECOND = 10_000_000;
/** A rate-limited generator may catch up at most this much time it was not called (its burst). */
export const GENERATOR_RATE_BURST_MS = 100;

/** File spout. */
export const FILE_READ_CHUNK_BYTES = 64 * 1024;
/** A line longer than this is refused (LINE_TOO_LONG): a binary file or a missing newline. */
export const MAX_LINE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_PENDING_LINES = 10_000;

/** Checkpoints and offset commits: written at most this often while running, and on close. */
export const DEFAULT_CHECKPOINT_INTERVAL_MS = 1_000;
export const MIN_CHECKPOINT_INTERVAL_MS = 1;
export const MAX_CHECKPOINT_INTERVAL_MS = 3_600_000;

/** Offsets emitted and not yet committable, per partition (or lines, per file): beyond this the
 * spout stops reading until acks let the committed offset move. */
export const DEFAULT_MAX_PENDING_OFFSETS = 10_000;
export const MAX_PENDING_OFFSETS = 1_000_000;

/** Log spout fetches. A short long-poll keeps nextTuple (and so close/deactivate) responsive. */
export const DEFAULT_FETCH_MAX_WAIT_MS = 100;
export const MAX_FETCH_MAX_WAIT_MS = 30_000;
export const DEFAULT_FETCH_MAX_BYTES = 1024 * 1024;
export const MAX_FETCH_MAX_BYTES = 64 * 1024 * 1024;
/** Partitions one log spout task may read. */
export const MAX_PARTITIONS_PER_TASK = 4_096;
