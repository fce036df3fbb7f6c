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

/** Reconnection attempts after a lost connection before commands fail. */
export const MAX_RECONNECT_ATTEMPTS = 10;
