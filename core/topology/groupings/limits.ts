/**
 * Limits of the stream groupings. A grouping runs once per emitted tuple, so every input it keeps
 * state for is bounded here: a topology cannot make one grow without limit.
 */

/** Most target tasks one subscription may route to; the same bound as a component's parallelism. */
export const MAX_GROUPING_TARGET_TASKS = 4_096;

/** Most fields a fields or partial-key grouping may select: keys are hashed on every tuple. */
export const MAX_GROUPING_KEY_FIELDS = 64;

/** Deepest nesting of arrays/objects the canonical key encoding follows before refusing a value;
 * a key is a handful of scalars, and a cyclic object must not loop forever. */
export const MAX_KEY_ENCODING_DEPTH = 16;

/** Candidate tasks per key in the partial-key grouping ("power of two choices"): two choices
 * already cut the maximum load exponentially compared with one; more buy little and spread each
 * key's partial state over more tasks. */
export const PARTIAL_KEY_CHOICES = 2;

/** Seeds of the independent hashes of the partial-key grouping; the first equals the fields
 * grouping's, so a key's first candidate is the task the fields grouping would pick. */
export const PARTIAL_KEY_HASH_SEEDS: readonly number[] = [0, 0x9e37_79b9];
