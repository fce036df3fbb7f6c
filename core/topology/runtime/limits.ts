/**
 * Limits of the topology runtime's scheduling and bookkeeping.
 */

/** Latency samples kept per component (reservoir sampling beyond it). */
export const LATENCY_RESERVOIR_SIZE = 4_096;

/** Longest the scheduler runs tasks before yielding to the event loop, so sockets, timers and
 * async user code get their turn. */
export const SCHEDULER_SLICE_MS = 8;

/** Most nextTuple calls of one spout task per turn before other tasks run. */
export const SPOUT_CALLS_PER_TURN = 256;

/** How often spouts look for timed-out trees and ackers expire old ones. */
export const TIMEOUT_CHECK_INTERVAL_MS = 500;

/** Acker task ids start here, above any topology task id (see MAX_TOPOLOGY_TASKS). */
export const ACKER_TASK_ID_BASE = 1_000_000;

/** Id of the system acker component in metrics. */
export const ACKER_COMPONENT_ID = '__acker';

/** Longest a stopping topology waits for acks made in bolt cleanup to reach their spouts. */
export const SETTLE_ACKS_MS = 1_000;

/** Most errors kept per topology for `errors()`; older ones are dropped. */
export const MAX_RECENT_ERRORS = 100;
