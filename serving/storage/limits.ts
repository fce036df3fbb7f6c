/** Limits and defaults of the serving node's key-value storage (names carry units; see STYLE.md). */

/** Largest key accepted: 64 KiB. Keys live in memory in the key directory (once per key) and in
 * every hint entry, so they must stay small; Redis allows 512 MB keys, nobody needs them. */
export const MAX_KEY_BYTES = 64 * 1024;

/** Largest value accepted: 512 MiB, Redis's proto-max-bulk-len. A get reads a whole record with
 * one positioned read into one Buffer, so this bounds the memory of a single read. */
export const MAX_VALUE_BYTES = 512 * 1024 * 1024;

/** Roll to a new data file once the active one would grow past this (Riak Bitcask uses 2 GB).
 * Smaller files merge in smaller steps; a single record larger than this gets a file of its own. */
export const DEFAULT_MAX_FILE_BYTES = 1024 * 1024 * 1024;

/** Under the 'interval' fsync policy: fsync this often, like Redis's `appendfsync everysec`. */
export const DEFAULT_FSYNC_INTERVAL_MS = 1000;

/** Recovery reads data files in chunks of this size, so opening a large file never holds it whole
 * in memory (only a single record larger than a chunk is read at once). */
export const SCAN_CHUNK_BYTES = 1024 * 1024;

/** File ids are printed with this many digits, so names sort by id. */
export const FILE_ID_DIGITS = 10;

/** Largest file id: ids are never reused, one per roll or merge output. */
export const MAX_FILE_ID = 10 ** FILE_ID_DIGITS - 1;

/** Default memory for recently written and read values (value-cache.ts); 0 turns the cache off. */
export const DEFAULT_VALUE_CACHE_BYTES = 64 * 1024 * 1024;
