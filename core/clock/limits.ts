/**
 * Limits of the clocks in core/clock. Every number a clock accepts from a peer or a client is
 * checked against one of these, so a broken clock or a hostile peer cannot push a node's time into
 * the far future, overflow a counter or make a causal context grow without bound.
 */

/** Default furthest a received hybrid timestamp may run ahead of the local physical clock. NTP keeps
 * servers within milliseconds; 10 s leaves room for a slow sync but catches a clock set to next week,
 * which would otherwise drag every node's HLC forward with it and never come back. */
export const DEFAULT_HLC_MAX_DRIFT_MS = 10_000;

/** Largest wall time a hybrid timestamp may carry: exact in a JS number (year 287 396). */
export const MAX_HLC_WALL_MS = Number.MAX_SAFE_INTEGER;

/** The logical counter travels as an unsigned 32-bit integer. */
export const MAX_HLC_LOGICAL = 0xffff_ffff;

/** Bytes of an encoded hybrid timestamp: 8 for wallMs and 4 for logical, both big-endian, so byte
 * order is time order. */
export const HLC_ENCODED_BYTES = 12;

/** Characters of the string form: the 12 encoded bytes in lowercase hex. */
export const HLC_STRING_LENGTH = 2 * HLC_ENCODED_BYTES;

/** Default most concurrent values (siblings) a dotted version vector set keeps before a write is
 * refused; Riak's `max_siblings` default. Past this, clients are writing without their context. */
export const DEFAULT_MAX_SIBLINGS = 100;

/** Most actors (coordinating replicas) one version vector may name. Actors are server ids, so this
 * bounds the size of a context a client can send back. */
export const MAX_VERSION_VECTOR_ACTORS = 1024;

/** Longest actor id, in UTF-16 code units. */
export const MAX_ACTOR_ID_LENGTH = 255;

/** Largest event counter of one actor: exact in a JS number. */
export const MAX_ACTOR_COUNTER = Number.MAX_SAFE_INTEGER;
