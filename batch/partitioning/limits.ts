/**
 * Limits of the partitioners. A partition is a task and a shuffle file per map task, so the count
 * is bounded; key comparison recurses into arrays and objects, so its depth is bounded too.
 */

/** Most partitions one partitioner may have (tasks per stage and shuffle files per map task). */
export const MAX_PARTITIONS = 100_000;

/** Deepest nesting of arrays/objects the default ordering follows before refusing a key: a key is a
 * handful of scalars, and a cyclic object must not loop forever. Same bound as the key hash. */
export const MAX_ORDERING_DEPTH = 16;

/** Most sample keys RangePartitioner.fromSample sorts: Spark samples ~20 keys per partition,
 * capped at 1e6 in total. */
export const MAX_RANGE_SAMPLE_KEYS = 1_000_000;
