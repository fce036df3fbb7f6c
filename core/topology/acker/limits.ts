/**
 * Limits of the acker in core/topology/acker. Every table the acker keeps is bounded by one of
 * these, so a spout that never gets acks, or bolts that ack roots nobody initialised, cannot grow
 * a worker's heap without bound.
 */

/** Bits of a tuple or edge id. Storm uses a random 64-bit `long`; here ids are JavaScript numbers
 * (safe integers up to 2^53), because bigints are heap objects and every XOR of two would
 * allocate — on the ack path of every tuple. 52 random bits keep a false completion (an ack val
 * reaching 0 by chance) at 2^-52 per ack: at a million acks a second, once in ~140 years. */
export const TUPLE_ID_BITS = 52;

/** Largest tuple id (2^52 - 1). */
export const MAX_TUPLE_ID = 2 ** TUPLE_ID_BITS - 1;

/** Bits of an id above the low 32. */
export const TUPLE_ID_HIGH_MASK = 2 ** (TUPLE_ID_BITS - 32) - 1;

/** Ids drawn from the random source at once and handed out one by one (one syscall per batch). */
export const TUPLE_ID_BATCH_SIZE = 256;

/** Zeros in a row after which a random source is declared broken. Zero means "no edge" in the XOR
 * algorithm, so it is redrawn; with a real source the chance of even two zeros in a row is 2^-128. */
export const MAX_ZERO_ID_REDRAWS = 16;

/** Default most tuple trees (initialised or only acked so far) one acker task tracks. Storm's
 * `topology.max.spout.pending` normally keeps far fewer in flight; past this the oldest tree fails
 * (and is replayed by its spout) instead of the worker running out of memory. */
export const DEFAULT_MAX_PENDING_TREES = 100_000;

/** Largest `maxPendingTrees` an acker accepts (~1 GB of bookkeeping). */
export const MAX_PENDING_TREES_LIMIT = 10_000_000;

/** Default width of one timeout bucket. Trees are grouped by start time into buckets this wide;
 * `expire` drops whole buckets older than the timeout and scans at most one partly expired one. */
export const DEFAULT_TIMEOUT_BUCKET_WIDTH_MS = 1_000;

/** Largest bucket width accepted: one hour. */
export const MAX_TIMEOUT_BUCKET_WIDTH_MS = 3_600_000;
