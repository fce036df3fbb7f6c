/**
 * RDD: an immutable, partitioned, typed, ordered, lazily evaluated collection (Spark's RDD).
 * A transformation returns a new RDD recording its parent and what to do — nothing runs until an
 * action (collect, count, …) submits a job to the context's scheduler, which cuts the lineage
 * into stages at shuffle dependencies and runs one task per partition.
 *
 * Every RDD is one class configured by a plan (how to compute a partition, its dependencies and
 * partitioner), so the transformations in this file and the plans in ./plans never import each
 * other in a cycle. Ids are given in creation order, so an executor that rebuilds the same lineage
 * by running the same job module gets the same ids — which is how tasks name RDDs across threads.
 */
import type { Partitioner } from '../partitioning/partitioner.js';
import type { KeyOrdering } from '../shuffle/aggregator.js';
import type { BatchContextLike } from './context-like.js';
import type { Dependency } from './dependency.js';
import { InvalidArgumentError } from './errors.js';
import * as narrow from './plans/narrow.js';
import * as pair from './plans/pair.js';
import * as views from './plans/views.js';
import type { BatchViewWriter, PublishResult } from '../../serving/views/batch-view-writer.js';
import type { CutOffs } from '../../serving/views/log-position.js';
import type { StorageLevel, TaskContext } from './task-context.js';

export interface RddPlan<T> {
  /** The operation, for explain(): 'map', 'textFile', 'reduceByKey', … */
  readonly name: string;
  readonly numPartitions: number;
  readonly dependencies: readonly Dependency[];
  readonly partitioner?: Partitioner;
  compute(partition: number, task: TaskContext): Iterable<T>;
  /** Push form of compute: calls `sink` with each element, in order. Optional; faster than
   * pulling through a chain of iterators, so the narrow transformations provide it. */
  forEach?(partition: number, task: TaskContext, sink: (value: T) => void): void;
  /** Async loading before compute (sources reading over the network). */
  prefetch?(partition: number, task: TaskContext): Promise<void>;
  /** Extra text for explain() (a path, a partitioner). */
  readonly detail?: string;
}

export class RDD<T> {
  readonly id: number;
  storageLevel: StorageLevel | undefined;
  /** Set by checkpoint(): the next job writes the partitions and later reads come from them. */
  checkpointRequested = false;

  constructor(
    readonly context: BatchContextLike,
    readonly plan: RddPlan<T>,
  ) {
    this.id = context.newRddId();
    if (!Number.isInteger(plan.numPartitions) || plan.numPartitions < 0) {
      throw new InvalidArgumentError(plan.name, `partition count ${plan.numPartitions} is not a non-negative integer`);
    }
  }

  get numPartitions(): number {
    return this.plan.numPartitions;
  }

  get dependencies(): readonly Dependency[] {
    return this.plan.dependencies;
  }

  get partitioner(): Partitioner | undefined {
    return this.plan.partitioner;
  }

  /** The partition's elements, from the block store when persisted or checkpointed, else computed. */
  iterator(partition: number, task: TaskContext): Iterable<T> {
    const checkpoint = task.checkpointOf(this.id);
    if (checkpoint !== undefined) return narrow.readCheckpoint<T>(checkpoint, partition);
    if (this.storageLevel === undefined) return this.plan.compute(partition, task);
    const stored = task.blocks.get(this.id, partition);
    if (stored !== undefined) return stored as readonly T[];
    const values = [...this.plan.compute(partition, task)];
    task.blocks.put(this.id, partition, values, this.storageLevel);
    return values;
  }

  /** Calls `sink` with each element of the partition: the plan's push form when it has one and
   * the partition is not stored, else its elements one by one. */
  forEachIn(partition: number, task: TaskContext, sink: (value: T) => void): void {
    const forEach = this.plan.forEach;
    if (forEach !== undefined && this.storageLevel === undefined && task.checkpointOf(this.id) === undefined) {
      forEach(partition, task, sink);
      return;
    }
    for (const value of this.iterator(partition, task)) sink(value);
  }

  // ——— narrow transformations ———

  map<U>(fn: (value: T) => U): RDD<U> {
    return new RDD(this.context, narrow.map(this, fn));
  }

  flatMap<U>(fn: (value: T) => Iterable<U>): RDD<U> {
    return new RDD(this.context, narrow.flatMap(this, fn));
  }

  filter(predicate: (value: T) => boolean): RDD<T> {
    return new RDD(this.context, narrow.filter(this, predicate));
  }

  mapPartitions<U>(fn: (values: Iterable<T>, partition: number) => Iterable<U>, preservesPartitioning = false): RDD<U> {
    return new RDD(this.context, narrow.mapPartitions(this, 'mapPartitions', fn, preservesPartitioning));
  }

  mapPartitionsWithIndex<U>(fn: (partition: number, values: Iterable<T>) => Iterable<U>): RDD<U> {
    return new RDD(this.context, narrow.mapPartitions(this, 'mapPartitionsWithIndex', (values, partition) => fn(partition, values), false));
  }

  keyBy<K>(fn: (value: T) => K): RDD<[K, T]> {
    return this.map((value): [K, T] => [fn(value), value]);
  }

  union(...others: RDD<T>[]): RDD<T> {
    return new RDD(this.context, narrow.union([this, ...others]));
  }

  /** A seeded Bernoulli (or Poisson, with replacement) sample of about `fraction` of the elements. */
  sample(withReplacement: boolean, fraction: number, seed = 0): RDD<T> {
    return new RDD(this.context, narrow.sample(this, withReplacement, fraction, seed));
  }

  /** Fewer partitions without a shuffle (neighbouring partitions merged), or any count with one. */
  coalesce(numPartitions: number, shuffle = false): RDD<T> {
    if (!shuffle) return new RDD(this.context, narrow.coalesce(this, numPartitions));
    return pair.repartition(this, numPartitions);
  }

  repartition(numPartitions: number): RDD<T> {
    return this.coalesce(numPartitions, true);
  }

  cartesian<U>(other: RDD<U>): RDD<[T, U]> {
    return new RDD(this.context, narrow.cartesian(this, other));
  }

  distinct(numPartitions = this.numPartitions): RDD<T> {
    return pair.distinct(this, numPartitions);
  }

  sortBy<K>(keyOf: (value: T) => K, ascending = true, numPartitions = this.numPartitions, ordering?: KeyOrdering<K>): Promise<RDD<T>> {
    return pair.sortBy(this, keyOf, ascending, numPartitions, ordering);
  }

  /** Pairs each element with its index (partition order, then position). Runs a job to count the
   * partitions first, as Spark's does, hence async. */
  zipWithIndex(): Promise<RDD<[T, number]>> {
    return narrow.zipWithIndex(this);
  }

  // ——— persistence ———

  persist(level: StorageLevel = 'MEMORY'): this {
    this.storageLevel = level;
    return this;
  }

  cache(): this {
    return this.persist('MEMORY');
  }

  unpersist(): this {
    this.storageLevel = undefined;
    this.context.unpersist(this.id);
    return this;
  }

  /** Writes the partitions to the work directory at the next job and cuts the lineage there. */
  checkpoint(): this {
    this.checkpointRequested = true;
    return this;
  }

  // ——— pair transformations (elements are [key, value]) ———

  mapValues<K, V, U>(this: RDD<[K, V]>, fn: (value: V) => U): RDD<[K, U]> {
    return new RDD(this.context, narrow.map(this, ([key, value]): [K, U] => [key, fn(value)], 'mapValues', true));
  }

  flatMapValues<K, V, U>(this: RDD<[K, V]>, fn: (value: V) => Iterable<U>): RDD<[K, U]> {
    return new RDD(this.context, narrow.mapPartitions(this, 'flatMapValues', (values) => narrow.flatMapIterable(values, ([key, value]) => narrow.mapIterable(fn(value), (out): [K, U] => [key, out])), true));
  }

  keys<K, V>(this: RDD<[K, V]>): RDD<K> {
    return this.map(([key]) => key);
  }

  values<K, V>(this: RDD<[K, V]>): RDD<V> {
    return this.map(([, value]) => value);
  }

  partitionBy<K, V>(this: RDD<[K, V]>, partitioner: Partitioner): RDD<[K, V]> {
    return pair.partitionBy(this, partitioner);
  }

  combineByKey<K, V, C>(this: RDD<[K, V]>, createCombiner: (value: V) => C, mergeValue: (combiner: C, value: V) => C, mergeCombiners: (left: C, right: C) => C, numPartitions?: number): RDD<[K, C]> {
    return pair.combineByKey(this, { createCombiner, mergeValue, mergeCombiners }, numPartitions, true, 'combineByKey');
  }

  reduceByKey<K, V>(this: RDD<[K, V]>, fn: (left: V, right: V) => V, numPartitions?: number): RDD<[K, V]> {
    return pair.combineByKey(this, { createCombiner: (value: V) => value, mergeValue: fn, mergeCombiners: fn }, numPartitions, true, 'reduceByKey');
  }

  foldByKey<K, V>(this: RDD<[K, V]>, zero: V, fn: (left: V, right: V) => V, numPartitions?: number): RDD<[K, V]> {
    return pair.combineByKey(this, { createCombiner: (value: V) => fn(structuredClone(zero), value), mergeValue: fn, mergeCombiners: fn }, numPartitions, true, 'foldByKey');
  }

  aggregateByKey<K, V, U>(this: RDD<[K, V]>, zero: U, seqOp: (accumulator: U, value: V) => U, combOp: (left: U, right: U) => U, numPartitions?: number): RDD<[K, U]> {
    return pair.combineByKey(this, { createCombiner: (value: V) => seqOp(structuredClone(zero), value), mergeValue: seqOp, mergeCombiners: combOp }, numPartitions, true, 'aggregateByKey');
  }

  groupByKey<K, V>(this: RDD<[K, V]>, numPartitions?: number): RDD<[K, V[]]> {
    return pair.combineByKey(this, { createCombiner: (value: V) => [value], mergeValue: (list: V[], value: V) => (list.push(value), list), mergeCombiners: (left: V[], right: V[]) => left.concat(right) }, numPartitions, false, 'groupByKey');
  }

  sortByKey<K, V>(this: RDD<[K, V]>, ascending = true, numPartitions = this.numPartitions, ordering?: KeyOrdering<K>): Promise<RDD<[K, V]>> {
    return pair.sortByKey(this, ascending, numPartitions, ordering);
  }

  cogroup<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V[], W[]]]> {
    return pair.cogroup(this, other, numPartitions);
  }

  join<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V, W]]> {
    return pair.join(this, other, 'inner', numPartitions) as RDD<[K, [V, W]]>;
  }

  leftOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V, W | undefined]]> {
    return pair.join(this, other, 'left', numPartitions) as RDD<[K, [V, W | undefined]]>;
  }

  rightOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V | undefined, W]]> {
    return pair.join(this, other, 'right', numPartitions) as RDD<[K, [V | undefined, W]]>;
  }

  fullOuterJoin<K, V, W>(this: RDD<[K, V]>, other: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V | undefined, W | undefined]]> {
    return pair.join(this, other, 'full', numPartitions);
  }

  // ——— actions ———

  /** Runs `fn` on each of `partitions` (default: all) in tasks; results in partition order. */
  runJob<U>(fn: (values: Iterable<T>, partition: number) => U, partitions?: readonly number[]): Promise<U[]> {
    return this.context.runJob(this, fn, partitions);
  }

  async collect(): Promise<T[]> {
    const parts = await this.runJob((values) => [...values]);
    return parts.flat() as T[];
  }

  async count(): Promise<number> {
    const counts = await this.runJob((values) => {
      let count = 0;
      for (const _ of values) count++;
      return count;
    });
    return counts.reduce((sum, count) => sum + count, 0);
  }

  async countByKey<K, V>(this: RDD<[K, V]>): Promise<Map<K, number>> {
    const counts = await this.mapValues(() => 1).reduceByKey((a, b) => a + b).collect();
    return new Map(counts);
  }

  async reduce(fn: (left: T, right: T) => T): Promise<T> {
    const parts = await this.runJob((values) => narrow.reduceIterable(values, fn));
    const present = parts.filter((part): part is { value: T } => part !== undefined);
    if (present.length === 0) throw new InvalidArgumentError('reduce', 'the RDD is empty; use fold with a zero value');
    return present.map((part) => part.value).reduce(fn);
  }

  async fold(zero: T, fn: (left: T, right: T) => T): Promise<T> {
    const parts = await this.runJob((values) => {
      let accumulator = structuredClone(zero);
      for (const value of values) accumulator = fn(accumulator, value);
      return accumulator;
    });
    return parts.reduce(fn, structuredClone(zero));
  }

  async aggregate<U>(zero: U, seqOp: (accumulator: U, value: T) => U, combOp: (left: U, right: U) => U): Promise<U> {
    const parts = await this.runJob((values) => {
      let accumulator = structuredClone(zero);
      for (const value of values) accumulator = seqOp(accumulator, value);
      return accumulator;
    });
    return parts.reduce(combOp, structuredClone(zero));
  }

  /** The first `count` elements, scanning more partitions only as needed. */
  take(count: number): Promise<T[]> {
    return narrow.take(this, count);
  }

  async first(): Promise<T> {
    const [value] = await this.take(1);
    if (value === undefined && (await this.count()) === 0) throw new InvalidArgumentError('first', 'the RDD is empty');
    return value as T;
  }

  /** The `count` largest elements under `ordering` (default: the default key ordering), largest first. */
  top(count: number, ordering?: KeyOrdering<T>): Promise<T[]> {
    return narrow.takeOrdered(this, count, ordering, true);
  }

  /** The `count` smallest elements under `ordering`, smallest first. */
  takeOrdered(count: number, ordering?: KeyOrdering<T>): Promise<T[]> {
    return narrow.takeOrdered(this, count, ordering, false);
  }

  async foreach(fn: (value: T) => void): Promise<void> {
    await this.runJob((values) => {
      for (const value of values) fn(value);
      return null;
    });
  }

  async foreachPartition(fn: (values: Iterable<T>) => void): Promise<void> {
    await this.runJob((values) => {
      fn(values);
      return null;
    });
  }

  /** One text file per partition (part-00000, …) under `directory`, one element per line; the
   * directory appears complete or not at all (written to a temporary name, then renamed). */
  saveAsTextFile(directory: string): Promise<void> {
    return narrow.saveAsTextFile(this, directory);
  }

  /** Loads the pairs (key → a value of the view's monoid: one per key, e.g. reduceByKey's output)
   * as version `version` of serving view `view`, covering the log up to `cutOffs`, and publishes
   * it (one pointer swap; see serving/views). */
  saveAsView<V>(this: RDD<[string, V]>, writer: BatchViewWriter, view: string, version: number, cutOffs: CutOffs): Promise<PublishResult> {
    return views.saveAsView(this, writer, view, version, cutOffs);
  }

  /** The lineage with its stages, like Spark's toDebugString. */
  toDebugString(): string {
    return this.context.explain(this);
  }

  explain(): string {
    return this.toDebugString();
  }

  toString(): string {
    return `${this.plan.name} [${this.id}]`;
  }
}
