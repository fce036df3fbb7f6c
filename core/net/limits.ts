/**
 * Limits of the shared TCP machinery. Every queue, buffer and wait in core/net is bounded by one of
 * these; services override them through their options object, never by editing these values.
 */

/** Bytes of the big-endian length prefix in front of every frame (Kafka and ZooKeeper both use 4). */
export const FRAME_HEADER_BYTES = 4;

/** Default largest frame payload accepted. Kafka's socket.request.max.bytes is 100 MiB; services
 * that need that much say so — a small default keeps a garbage length from reserving memory. */
export const DEFAULT_MAX_FRAME_BYTES = 16 * 1024 * 1024;

/** Requests of one connection being handled at once before the server stops reading from it. */
export const DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 256;

/** Bytes queued for one connection's socket beyond which the peer is dropped as a slow reader. */
export const DEFAULT_MAX_BUFFERED_WRITE_BYTES = 64 * 1024 * 1024;

/** How long a started frame may stay incomplete before the connection is dropped (slowloris). */
export const DEFAULT_PARTIAL_FRAME_TIMEOUT_MS = 30_000;

/** How long a connection's writes may stay blocked (peer not reading) before it is dropped. */
export const DEFAULT_WRITE_STALL_TIMEOUT_MS = 30_000;

/** Connections one server accepts at once; further ones are refused by the kernel backlog. */
export const DEFAULT_MAX_CONNECTIONS = 10_000;

/** How long close() waits for in-flight requests to be answered before destroying sockets. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;

/** Client side: a request unanswered for this long fails with RequestTimeoutError. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Client side: request deadlines are checked in buckets this wide (they fire up to this late). */
export const REQUEST_DEADLINE_RESOLUTION_MS = 10;

/** Client side: a single TCP connect attempt gives up after this long. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/** Client side: requests waiting for a connection (or for a blocked socket to drain). */
export const DEFAULT_MAX_QUEUED_REQUESTS = 10_000;

/** Client side: reconnect backoff, exponential with jitter. */
export const DEFAULT_BACKOFF_INITIAL_MS = 100;
export const DEFAULT_BACKOFF_MAX_MS = 10_000;
export const DEFAULT_BACKOFF_MULTIPLIER = 2;
export const DEFAULT_BACKOFF_JITTER = 0.2;

/** Payloads up to this size are copied into the tick's write batch (one syscall for many frames);
 * larger ones are written as header + payload without copying. */
export const COPY_THRESHOLD_BYTES = 16 * 1024;

/** Size of the pooled buffers small frames are batched into; a full batch is written at once. */
export const WRITE_BATCH_BYTES = 64 * 1024;
