/**
 * Plans of the wide (shuffle) transformations on pair RDDs, and the transformations built from
 * them. A ShuffledRDD reads, for its partition, every map task's segment of the parent's shuffle
 * output, merged by key with the aggregator (map-side combined when the operation allows) or
 * sorted by key (sortByKey). When the parent is already partitioned alike, combining happens
 * in place without a shuffle, as in Spark.
 */
import { HashPartitioner } from '../../partitioning/hash-partitioner.js';
import { defaultOrdering } from '../../partitioning/ordering.js';
import type { Partitioner } from '../../partitioning/partitioner.js';
import { RangePartitioner } from '../../partitioning/range-partitioner.js';
import type { Aggregator, KeyOrdering } from '../../shuffle/aggregator.js';
import { KeyedMap } from '../../shuffle/canonical-key.js';
import { readShufflePartition } from '../../shuffle/index.js';
import { oneToOne, type Dependency, type ShuffleDependency } from '../dependency.js';
import { InvalidArgumentError } from '../errors.js';
import { SORT_SAMPLE_PER_PARTITION } from '../limits.js';
import { RDD, type RddPlan } from '../rdd.js';
import type { TaskContext } from '../task-context.js';
import { mapPartitions } from './narrow.js';

function checkPartitions(operation: string, numPartitions: number): void {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) throw new InvalidArgumentError(operation, `partition count ${numPartitions} must be a positive integer`);
}

function shuffleDependency(parent: RDD<unknown>, partitioner: Partitioner, aggregator: Aggregator<unknown, unknown> | undefined, mapSideCombine: boolean, keyOrdering?: KeyOrdering<unknown>): ShuffleDependency {
  return {
    kind: 'shuffle',
    rdd: parent,
    shuffleId: parent.context.newShuffleId(),
    partitioner,
    ...(aggregator === undefined ? {} : { aggregator }),
    mapSideCombine,
    ...(keyOrdering === undefined ? {} : { keyOrdering }),
  };
}

function readShuffle<K, C>(dependency: ShuffleDependency, partition: number, task: TaskContext): Iterable<[K, C]> {
  return readShufflePartition({
    mapOutputs: task.mapOutputs(dependency.shuffleId),
    reducePartition: partition,
    ...(dependency.aggregator === undefined ? {} : { aggregator: dependency.aggregator }),
    mapSideCombined: dependency.mapSideCombine,
    ...(dependency.keyOrdering === undefined ? {} : { keyOrdering: dependency.keyOrdering }),
    memoryLimitBytes: task.memoryLimitBytes,
    directory: task.workDirectory,
  }) as Iterable<[K, C]>;
}

function shuffled<K, V, C>(name: string, parent: RDD<[K, V]>, partitioner: Partitioner, aggregator?: Aggregator<V, C>, mapSideCombine = false, keyOrdering?: KeyOrdering<K>): RDD<[K, C]> {
  const dependency = shuffleDependency(parent as RDD<unknown>, partitioner, aggregator as Aggregator<unknown, unknown> | undefined, mapSideCombine, keyOrdering as KeyOrdering<unknown> | undefined);
  const plan: RddPlan<[K, C]> = {
    name,
    numPartitions: partitioner.numPartitions,
    dependencies: [dependency],
    partitioner,
    detail: partitioner.describe(),
    compute: (partition, task) => readShuffle<K, C>(dependency, partition, task),
  };
  return new RDD(parent.context, plan);
}

/** Combines in memory per partition: the parent is already partitioned by the target partitioner. */
function* combineInPlace<K, V, C>(values: Iterable<[K, V]>, aggregator: Aggregator<V, C>): Generator<[K, C]> {
  const combined = new KeyedMap<K, [K, C]>();
  for (const [key, value] of values) {
    const entry = combined.lookup(key);
    if (entry === undefined) combined.insertAtLookup([key, aggregator.createCombiner(value)]);
    else entry[1] = aggregator.mergeValue(entry[1], value);
  }
  yield* combined.values();
}

export function combineByKey<K, V, C>(parent: RDD<[K, V]>, aggregator: Aggregator<V, C>, numPartitions: number | undefined, mapSideCombine: boolean, name: string): RDD<[K, C]> {
  const partitions = numPartitions ?? parent.numPartitions;
  checkPartitions(name, partitions);
  const partitioner = new HashPartitioner(partitions);
  if (parent.partitioner?.equals(partitioner) === true) {
    return new RDD(parent.context, mapPartitions(parent, name, (values) => combineInPlace(values, aggregator), true));
  }
  return shuffled(name, parent, partitioner, aggregator, mapSideCombine);
}

export function partitionBy<K, V>(parent: RDD<[K, V]>, partitioner: Partitioner): RDD<[K, V]> {
  if (parent.partitioner?.equals(partitioner) === true) return parent;
  return shuffled<K, V, V>('partitionBy', parent, partitioner);
}

export function repartition<T>(parent: RDD<T>, numPartitions: number): RDD<T> {
  checkPartitions('repartition', numPartitions);
  // Spread elements round-robin from a per-partition offset, like Spark, keyed by position.
  const keyed = new RDD(parent.context, mapPartitions(parent, 'repartition', function* (values, partition) {
    let position = partition;
    for (const value of values) yield [position++ % numPartitions, value] as [number, T];
  }, false));
  const exact: Partitioner = {
    numPartitions,
    getPartition: (key) => key as number,
    equals: (other) => other === exact,
    describe: () => `RoundRobin(${numPartitions})`,
  };
  return shuffled<number, T, T>('repartition', keyed, exact).map(([, value]) => value);
}

export function distinct<T>(parent: RDD<T>, numPartitions: number): RDD<T> {
  return parent
    .map((value): [T, null] => [value, null])
    .reduceByKey((left) => left, numPartitions)
    .keys();
}

export async function sortByKey<K, V>(parent: RDD<[K, V]>, ascending: boolean, numPartitions: number, ordering?: KeyOrdering<K>): Promise<RDD<[K, V]>> {
  checkPartitions('sortByKey', numPartitions);
  const compare: KeyOrdering<K> = ordering ?? (defaultOrdering as KeyOrdering<K>);
  // Like Spark: a sampling job chooses range boundaries, so each output partition is one key range.
  const perPartition = Math.ceil((SORT_SAMPLE_PER_PARTITION * numPartitions) / Math.max(1, parent.numPartitions));
  const samples = await parent.runJob((values) => {
    const keys: K[] = [];
    let seen = 0;
    for (const [key] of values) {
      seen++;
      if (keys.length < perPartition) keys.push(key);
      else {
        const slot = Math.floor(Math.random() * seen);
        if (slot < perPartition) keys[slot] = key;
      }
    }
    return keys;
  });
  const directional: KeyOrdering<K> = ascending ? compare : (a, b) => compare(b, a);
  const partitioner = RangePartitioner.fromSample(samples.flat(), numPartitions, directional);
  return shuffled<K, V, V>('sortByKey', parent, partitioner, undefined, false, directional);
}

export async function sortBy<T, K>(parent: RDD<T>, keyOf: (value: T) => K, ascending: boolean, numPartitions: number, ordering?: KeyOrdering<K>): Promise<RDD<T>> {
  const sorted = await sortByKey(parent.keyBy(keyOf), ascending, numPartitions, ordering);
  return sorted.values();
}

export function cogroup<K, V, W>(left: RDD<[K, V]>, right: RDD<[K, W]>, numPartitions?: number): RDD<[K, [V[], W[]]]> {
  const partitions = numPartitions ?? Math.max(left.numPartitions, right.numPartitions);
  checkPartitions('cogroup', partitions);
  const partitioner = new HashPartitioner(partitions);
  const sides = [left as RDD<[K, unknown]>, right as RDD<[K, unknown]>].map((side) =>
    side.partitioner?.equals(partitioner) === true
      ? { dependency: oneToOne(side as RDD<unknown>) as Dependency, read: (partition: number, task: TaskContext) => side.iterator(partition, task) }
      : (() => {
          const dependency = shuffleDependency(side as RDD<unknown>, partitioner, undefined, false);
          return { dependency: dependency as Dependency, read: (partition: number, task: TaskContext) => readShuffle<K, unknown>(dependency, partition, task) };
        })(),
  );
  const plan: RddPlan<[K, [V[], W[]]]> = {
    name: 'cogroup',
    numPartitions: partitions,
    dependencies: sides.map((side) => side.dependency),
    partitioner,
    detail: partitioner.describe(),
    *compute(partition, task) {
      const groups = new KeyedMap<K, [K, [V[], W[]]]>();
      sides.forEach((side, index) => {
        for (const [key, value] of side.read(partition, task)) {
          let entry = groups.lookup(key);
          if (entry === undefined) {
            entry = [key, [[], []]];
            groups.insertAtLookup(entry);
          }
          (entry[1][index] as unknown[]).push(value);
        }
      });
      yield* groups.values();
    },
  };
  return new RDD(left.context, plan);
}

export type JoinKind = 'inner' | 'left' | 'right' | 'full';

export function join<K, V, W>(left: RDD<[K, V]>, right: RDD<[K, W]>, kind: JoinKind, numPartitions?: number): RDD<[K, [V | undefined, W | undefined]]> {
  return cogroup(left, right, numPartitions).flatMap(function* ([key, [lefts, rights]]) {
    const leftSide: (V | undefined)[] = lefts.length > 0 ? lefts : kind === 'right' || kind === 'full' ? [undefined] : [];
    const rightSide: (W | undefined)[] = rights.length > 0 ? rights : kind === 'left' || kind === 'full' ? [undefined] : [];
    for (const leftValue of leftSide) for (const rightValue of rightSide) yield [key, [leftValue, rightValue]] as [K, [V | undefined, W | undefined]];
  });
}
