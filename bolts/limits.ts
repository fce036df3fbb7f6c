/**
 * Limits and defaults of the ready-made bolts, one place to read them all. Every queue, batch and
 * table a bolt keeps has a bound here, so a runaway stream fails loudly instead of eating memory.
 */

/** Storm's RollingTopWords defaults: a 5-minute window advanced every minute. */
export const DEFAULT_ROLLING_WINDOW_SECS = 300;
export const DEFAULT_ROLLING_EMIT_FREQUENCY_SECS = 60;
/** Most slots (window length / emit frequency) of a sliding window counter. */
export const MAX_WINDOW_SLOTS = 10_000;
/** Fewest slots: one being filled, one being reported. */
export const MIN_WINDOW_SLOTS = 2;

/** Storm's AbstractRankerBolt defaults: the top 10, emitted every 2 seconds. */
export const DEFAULT_TOP_N = 10;
export const DEFAULT_RANKINGS_EMIT_FREQUENCY_SECS = 2;
/** Largest top-N a rankings bolt keeps (each update scans the rankings). */
export const MAX_TOP_N = 10_000;
/** Most upstream tasks whose latest rankings the total rankings bolt keeps. */
export const MAX_RANKINGS_SOURCES = 4_096;

/** Most tuples one flatMap call may emit; an endless iterable fails the tuple instead of hanging the task. */
export const MAX_FLAT_MAP_EMITS = 100_000;

/** Default and largest capacity of a CollectedTuples store (tests only). */
export const DEFAULT_COLLECTED_TUPLES = 1_000_000;
/** How long CollectedTuples.waitFor waits by default. */
export const DEFAULT_COLLECT_WAIT_MS = 10_000;

/** Records per produce request of the log sink: kafkajs sends one request per batch. */
export const DEFAULT_LOG_SINK_BATCH_RECORDS = 500;
export const MAX_LOG_SINK_BATCH_RECORDS = 10_000;
/** How long a partial batch waits for more records before it is sent. */
export const DEFAULT_LOG_SINK_LINGER_MS = 5;
export const MAX_LOG_SINK_LINGER_MS = 10_000;
/** Batches one log sink task may have in flight; beyond it execute waits (backpressure). */
export const MAX_LOG_SINK_IN_FLIGHT_BATCHES = 4;
/** Retries of one produce request inside kafkajs before its tuples are failed (the spout replays them). */
export const DEFAULT_LOG_SINK_RETRIES = 3;
export const MAX_LOG_SINK_RETRIES = 20;

/** Writes one serving sink task may have in flight; beyond it execute waits (backpressure). */
export const MAX_SERVING_SINK_IN_FLIGHT_WRITES = 10_000;
