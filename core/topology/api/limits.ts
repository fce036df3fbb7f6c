/**
 * Limits and defaults of the topology runtime's settings (see config.ts for what each means).
 */

/** Storm's default `topology.message.timeout.secs`. */
export const DEFAULT_MESSAGE_TIMEOUT_SECS = 30;
export const MAX_MESSAGE_TIMEOUT_SECS = 86_400;

/** Upper bound of `topology.max.spout.pending` (per spout task). */
export const MAX_SPOUT_PENDING = 1_000_000;

export const MAX_ACKER_EXECUTORS = 256;

export const MAX_TICK_FREQUENCY_SECS = 86_400;

/** Default input queue capacity per task, in tuples. Small enough that a slow bolt stalls its
 * spouts within milliseconds, large enough that a burst of one spout batch fits. */
export const DEFAULT_RECEIVE_QUEUE_TUPLES = 4_096;
export const MAX_RECEIVE_QUEUE_TUPLES = 1_048_576;

/** Default tuples per transfer batch: amortises the per-batch cost (one RxJS `next`, one queue
 * push, one scheduling decision) without holding tuples back (a batch is flushed at the end of
 * every executor turn, full or not). */
export const DEFAULT_TRANSFER_BATCH_TUPLES = 256;
export const MAX_TRANSFER_BATCH_TUPLES = 65_536;

/** Storm's default sleep of a spout that emitted nothing. */
export const DEFAULT_SPOUT_WAIT_MS = 1;
export const MAX_SPOUT_WAIT_MS = 10_000;

/** Longest a stopping topology waits for async open/prepare/cleanup/close of one component. */
export const LIFECYCLE_TIMEOUT_MS = 30_000;
