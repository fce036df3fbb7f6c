/** Limits of the remote keyspace client. */

/** How long connecting (and the server detection that follows) may take. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

/** Plain Redis: dedicated connections for WATCH, one per compareAndSet in flight. WATCH state
 * belongs to a connection, so sharing one would let two compareAndSets watch each other's keys. */
export const MAX_WATCH_CONNECTIONS = 8;

/** Plain Redis: compareAndSets that may wait for a WATCH connection before being refused. */
export const MAX_WAITING_COMPARE_AND_SETS = 1_024;

/** Plain Redis: WATCH/EXEC rounds of one compareAndSet before CompareAndSetContentionError. Each
 * aborted EXEC means another client wrote the key, so this bounds starvation, not correctness. */
export const MAX_WATCH_ATTEMPTS = 32;

/**
 * Backoff between reconnection attempts after a lost connection: growing by this step up to the
 * cap, and never giving up — a worker outlives a serving node's restart however long it takes
 * (a restarted node first waits out its previous life's coord session). Commands issued while
 * disconnected fail after one attempt (maxRetriesPerRequest), so callers see errors, not a hang.
 */
export const RECONNECT_BACKOFF_STEP_MS = 100;
/**
 * A command without an answer this long fails (the connection may be half-dead: a proxy that
 * accepts and drops, a frozen server). Generous: a compare-and-set is a Paxos round on a loaded node.
 */
export const COMMAND_TIMEOUT_MS = 15_000;
export const RECONNECT_BACKOFF_MAX_MS = 1_000;
