/** Limits of the keyspaces in this folder. */

/** Default most bytes (keys plus values) a MemoryKeyspace holds before refusing writes that grow
 * it — Redis's `maxmemory` in spirit, sized for `barista dev` on a laptop. */
export const DEFAULT_MEMORY_KEYSPACE_MAX_BYTES = 1024 * 1024 * 1024;

/** Largest SCAN cursor: cursors are unsigned 64-bit integers (redis-cli reads them with strtoull). */
export const MAX_SCAN_CURSOR = (1n << 64n) - 1n;

/** Most keys one scan() call examines, whatever count it is given (COUNT is only a hint). */
export const MAX_SCAN_BATCH_KEYS = 100_000;
