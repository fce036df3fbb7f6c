/**
 * Dependencies between RDDs: what the scheduler reads to cut stages. A narrow dependency maps each
 * child partition to a few parent partitions computed in the same task; a shuffle dependency
 * needs every parent partition, so it ends a stage (the parent's map stage writes shuffle files
 * that the child's tasks read).
 */
import type { Partitioner } from '../partitioning/partitioner.js';
import type { Aggregator, KeyOrdering } from '../shuffle/aggregator.js';
import type { RDD } from './rdd.js';

export interface NarrowDependency {
  readonly kind: 'narrow';
  readonly rdd: RDD<unknown>;
  /** Parent partitions child partition `partition` reads. */
  parents(partition: number): readonly number[];
}

export interface ShuffleDependency {
  readonly kind: 'shuffle';
  readonly rdd: RDD<unknown>;
  /** Unique per context, fixed at lineage build time (so executors agree on it). */
  readonly shuffleId: number;
  readonly partitioner: Partitioner;
  readonly aggregator?: Aggregator<unknown, unknown>;
  readonly mapSideCombine: boolean;
  readonly keyOrdering?: KeyOrdering<unknown>;
}

export type Dependency = NarrowDependency | ShuffleDependency;

export function oneToOne(rdd: RDD<unknown>): NarrowDependency {
  return { kind: 'narrow', rdd, parents: (partition) => [partition] };
}

/** Child partitions [offset, offset + parent partitions) map onto the parent's (union). */
export function rangeDependency(rdd: RDD<unknown>, offset: number): NarrowDependency {
  return {
    kind: 'narrow',
    rdd,
    parents: (partition) => (partition >= offset && partition < offset + rdd.numPartitions ? [partition - offset] : []),
  };
}
