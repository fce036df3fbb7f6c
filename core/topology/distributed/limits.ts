/**
 * Limits of worker-to-worker transfer.
 */

/** Largest batch frame between workers. */
export const MAX_TRANSFER_FRAME_BYTES = 64 * 1024 * 1024;

/** Bytes of batches sent to one worker and not yet answered; past this, spouts of this worker
 * hold back (backpressure across processes), as if a local queue were full. */
export const MAX_IN_FLIGHT_TRANSFER_BYTES = 8 * 1024 * 1024;

/** A batch a peer does not answer within this is given up (its tuple trees time out and replay). */
export const TRANSFER_TIMEOUT_MS = 30_000;

/** Batches queued per peer while it is unreachable. */
export const MAX_QUEUED_TRANSFERS = 10_000;
