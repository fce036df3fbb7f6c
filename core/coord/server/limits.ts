/** Limits and defaults of the ZooKeeper-protocol server. */

/** ZooKeeper's tickTime default: session timeouts are negotiated in its multiples. */
export const DEFAULT_TICK_TIME_MS = 2_000;

/** Negotiated session timeout bounds, as multiples of tickTime (ZooKeeper: 2 and 20). */
export const MIN_SESSION_TIMEOUT_TICKS = 2;
export const MAX_SESSION_TIMEOUT_TICKS = 20;

/** Connections from all clients at once. */
export const DEFAULT_MAX_CLIENT_CONNECTIONS = 60_000;

/** Requests of one connection in flight before the server stops reading it. */
export const MAX_OUTSTANDING_REQUESTS_PER_CONNECTION = 1_000;

/** A connection that has not completed its handshake within this long is dropped. */
export const HANDSHAKE_TIMEOUT_MS = 10_000;

/** Protocol version in ConnectResponse (ZooKeeper always sends 0). */
export const PROTOCOL_VERSION = 0;
