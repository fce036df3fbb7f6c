/** Defaults of the Lambda layer's speed topology. */

/** Tasks of a view's map and sink bolts: one per core of a small machine. */
export const DEFAULT_SPEED_PARALLELISM = 2;
/** Events in flight per spout task: enough to keep the serving writes pipelined, bounded so a
 * failing sink does not buffer a whole topic. */
export const DEFAULT_SPEED_MAX_SPOUT_PENDING = 1000;
/** How often fully processed offsets are committed: the replay window after a crash. */
export const SPEED_COMMIT_INTERVAL_MS = 200;
