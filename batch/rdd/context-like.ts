/**
 * What an RDD needs from its context (BatchContext implements it): ids, jobs, explain. An
 * interface so that RDDs and the context do not import each other.
 */
import type { RDD } from './rdd.js';

export interface BatchContextLike {
  newRddId(): number;
  newShuffleId(): number;
  /** Default partition count of shuffles when none is given. */
  readonly defaultParallelism: number;
  runJob<T, U>(rdd: RDD<T>, fn: (values: Iterable<T>, partition: number) => U, partitions?: readonly number[]): Promise<U[]>;
  unpersist(rddId: number): void;
  explain(rdd: RDD<unknown>): string;
}
