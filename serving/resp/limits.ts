/**
 * Limits of the RESP server. Protocol limits take Redis 7.0's values (src/server.h and
 * src/config.c of redis 7.0.15, cited per constant) so that a client sees the same refusals from
 * Barista as from Redis; service limits Redis leaves unbounded get a bound here, saying why.
 */

/** Largest bulk string a client may send: Redis's `proto-max-bulk-len` default, 512 MB
 * (config.c: `createLongLongConfig("proto-max-bulk-len", ..., 512ll*1024*1024, ...)`). */
export const PROTO_MAX_BULK_LEN = 512 * 1024 * 1024;

/** Longest inline command, and longest `*<count>` or `$<length>` line still waiting for its
 * CRLF: Redis's PROTO_INLINE_MAX_SIZE (server.h: `(1024*64)`). */
export const PROTO_INLINE_MAX_SIZE = 64 * 1024;

/** Largest multibulk count accepted: INT_MAX, as networking.c's processMultibulkBuffer checks
 * (`if (!ok || ll > INT_MAX)` → "invalid multibulk length"). Memory is bounded by the query
 * buffer limit, not by this: arguments are charged as they arrive, never preallocated. */
export const PROTO_MAX_MULTIBULK_LEN = 2_147_483_647;

/** Longest decimal integer Redis's string2ll() accepts is LONG_STR_SIZE - 1 = 20 characters. */
export const LONG_STR_SIZE = 21;

/** Bulk strings from this size on are collected piece by piece and joined once, instead of being
 * re-copied with every read: Redis's PROTO_MBULK_BIG_ARG (server.h: `(1024*32)`). */
export const PROTO_MBULK_BIG_ARG = 32 * 1024;

/** Most bytes of one unfinished command (and its unparsed input) a connection may hold: Redis's
 * `client-query-buffer-limit` default, 1 GB (config.c). Past it the connection is closed without
 * a reply, as Redis does ("Closing client that reached max query buffer length"). */
export const CLIENT_QUERY_BUFFER_LIMIT = 1024 * 1024 * 1024;

/** What one parsed argument costs beyond its bytes (a Buffer object and its array slot), charged
 * against the query buffer limit so that a billion empty arguments cannot exhaust the heap. */
export const ARGUMENT_OVERHEAD_BYTES = 96;

/** Default most reply bytes queued for one client before it is dropped. Redis leaves normal
 * clients unlimited (`client-output-buffer-limit normal 0 0 0`); a Node heap cannot afford that,
 * so the hard limit is twice PROTO_MAX_BULK_LEN: any single value can still be read. The server
 * stops reading from a client whose socket is full, so well-behaved pipelines never reach it. */
export const DEFAULT_MAX_OUTPUT_BUFFER_BYTES = 2 * PROTO_MAX_BULK_LEN;

/** Default most commands of one connection being executed at once; further parsed commands wait
 * and the server stops reading from that connection until some finish. */
export const DEFAULT_MAX_IN_FLIGHT_PER_CONNECTION = 256;

/** Default most clients connected at once: Redis's `maxclients` default (config.c: 10000). */
export const DEFAULT_MAX_CLIENTS = 10_000;

/** How long close() lets connections finish the commands they sent before destroying them. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 5_000;

/** Attempts of a read-modify-write command (INCR, SET NX, EXPIRE, ...) before it gives up on a
 * key other clients keep changing under it. Each refused attempt means another writer succeeded,
 * so the store as a whole progresses; this bounds how long one unlucky client waits. */
export const MAX_COMPARE_AND_SET_ATTEMPTS = 16;

/** SCAN's default COUNT, as in Redis (db.c: `long count = 10`). */
export const DEFAULT_SCAN_COUNT = 10;

/** Longest argument echoed in "unknown command" errors, as Redis (`%.128s`, args up to 128). */
export const ERROR_ARGUMENT_ECHO_CHARS = 128;

/** Largest replication factor BARISTA.CONSISTENCY accepts. */
export const MAX_REPLICATION_FACTOR = 16;
