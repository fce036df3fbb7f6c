/**
 * Partitioners decide which partition of a pair RDD a key belongs to (Spark's Partitioner). The
 * same key must map to the same partition in every executor thread and process, so
 * implementations may only depend on the key's value (never on object identity or insertion
 * order). `equals` lets the scheduler skip a shuffle when an RDD is already partitioned alike.
 */
export interface Partitioner {
  readonly numPartitions: number;
  /** A partition index in 0..numPartitions-1. */
  getPartition(key: unknown): number;
  equals(other: Partitioner): boolean;
  /** For explain(): e.g. "HashPartitioner(4)". */
  describe(): string;
}
