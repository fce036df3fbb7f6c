/**
 * Limits of the RDD layer.
 */

/** take() scans 1 partition, then this many times more each round, like Spark's scale-up. */
export const MAX_TAKE_SCALE_UP = 4;

/** Digits of part-file numbers (part-00000). */
export const PART_FILE_DIGITS = 5;

/** Keys sampled per output partition by sortByKey to choose range boundaries (Spark: 20). */
export const SORT_SAMPLE_PER_PARTITION = 20;

/** Most partitions an RDD may have. */
export const MAX_RDD_PARTITIONS = 100_000;
