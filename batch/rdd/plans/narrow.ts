/**
 * Plans of the narrow transformations (each child partition reads a few parent partitions in the
 * same task) and the driver-side halves of actions that need more than one pass (take,
 * takeOrdered, zipWithIndex, saveAsTextFile).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize } from 'node:v8';
import { randomBytes } from 'node:crypto';
import { mulberry32 } from '../../../core/random/mulberry32.js';
import { defaultOrdering } from '../../partitioning/ordering.js';
import type { KeyOrdering } from '../../shuffle/aggregator.js';
import { oneToOne, rangeDependency, type NarrowDependency } from '../dependency.js';
import { InvalidArgumentError, OutputExistsError } from '../errors.js';
import { RDD, type RddPlan } from '../rdd.js';
import { filterIterable, flatMapIterable, mapIterable } from './iterables.js';
import { MAX_TAKE_SCALE_UP, PART_FILE_DIGITS } from '../limits.js';

export { filterIterable, flatMapIterable, mapIterable, reduceIterable } from './iterables.js';

export function mapPartitions<T, U>(parent: RDD<T>, name: string, fn: (values: Iterable<T>, partition: number) => Iterable<U>, preservesPartitioning: boolean): RddPlan<U> {
  return {
    name,
    numPartitions: parent.numPartitions,
    dependencies: [oneToOne(parent as RDD<unknown>)],
    ...(preservesPartitioning && parent.partitioner !== undefined ? { partitioner: parent.partitioner } : {}),
    compute: (partition, task) => fn(parent.iterator(partition, task), partition),
  };
}

export function map<T, U>(parent: RDD<T>, fn: (value: T) => U, name = 'map', preservesPartitioning = false): RddPlan<U> {
  return {
    ...mapPartitions(parent, name, (values) => mapIterable(values, fn), preservesPartitioning),
    forEach: (partition, task, sink) => parent.forEachIn(partition, task, (value) => sink(fn(value))),
  };
}

export function flatMap<T, U>(parent: RDD<T>, fn: (value: T) => Iterable<U>): RddPlan<U> {
  return {
    ...mapPartitions(parent, 'flatMap', (values) => flatMapIterable(values, fn), false),
    forEach: (partition, task, sink) =>
      parent.forEachIn(partition, task, (value) => {
        const outputs = fn(value);
        if (Array.isArray(outputs)) for (let index = 0; index < outputs.length; index++) sink(outputs[index] as U);
        else for (const output of outputs) sink(output);
      }),
  };
}

export function filter<T>(parent: RDD<T>, predicate: (value: T) => boolean): RddPlan<T> {
  return {
    ...mapPartitions(parent, 'filter', (values) => filterIterable(values, predicate), true),
    forEach: (partition, task, sink) =>
      parent.forEachIn(partition, task, (value) => {
        if (predicate(value)) sink(value);
      }),
  };
}

export function union<T>(parents: readonly RDD<T>[]): RddPlan<T> {
  const dependencies: NarrowDependency[] = [];
  const owners: { rdd: RDD<T>; offset: number }[] = [];
  let offset = 0;
  for (const parent of parents) {
    dependencies.push(rangeDependency(parent as RDD<unknown>, offset));
    owners.push({ rdd: parent, offset });
    offset += parent.numPartitions;
  }
  return {
    name: 'union',
    numPartitions: offset,
    dependencies,
    compute(partition, task) {
      const owner = owners.findLast((candidate) => candidate.offset <= partition) as { rdd: RDD<T>; offset: number };
      return owner.rdd.iterator(partition - owner.offset, task);
    },
  };
}

/** Knuth's Poisson draw (small means: sampling fractions are at most a few). */
function poisson(mean: number, random: () => number): number {
  const limit = Math.exp(-mean);
  let count = 0;
  for (let product = random(); product > limit; product *= random()) count++;
  return count;
}

export function sample<T>(parent: RDD<T>, withReplacement: boolean, fraction: number, seed: number): RddPlan<T> {
  if (!(fraction >= 0) || (!withReplacement && fraction > 1)) {
    throw new InvalidArgumentError('sample', `fraction ${fraction} must be in [0, 1] without replacement, >= 0 with`);
  }
  return mapPartitions(parent, 'sample', function* (values, partition) {
    const random = mulberry32(Math.imul(seed ^ 0x5bd1e995, partition + 1));
    for (const value of values) {
      const copies = withReplacement ? poisson(fraction, random) : random() < fraction ? 1 : 0;
      for (let copy = 0; copy < copies; copy++) yield value;
    }
  }, true);
}

export function coalesce<T>(parent: RDD<T>, numPartitions: number): RddPlan<T> {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) throw new InvalidArgumentError('coalesce', `partition count ${numPartitions} must be a positive integer`);
  const count = Math.min(numPartitions, Math.max(1, parent.numPartitions));
  const groupOf = (partition: number): number[] => {
    const start = Math.floor((partition * parent.numPartitions) / count);
    const end = Math.floor(((partition + 1) * parent.numPartitions) / count);
    return Array.from({ length: end - start }, (_, index) => start + index);
  };
  return {
    name: 'coalesce',
    numPartitions: count,
    dependencies: [{ kind: 'narrow', rdd: parent as RDD<unknown>, parents: groupOf }],
    *compute(partition, task) {
      for (const parentPartition of groupOf(partition)) yield* parent.iterator(parentPartition, task);
    },
  };
}

export function cartesian<T, U>(left: RDD<T>, right: RDD<U>): RddPlan<[T, U]> {
  const width = right.numPartitions;
  return {
    name: 'cartesian',
    numPartitions: left.numPartitions * width,
    dependencies: [
      { kind: 'narrow', rdd: left as RDD<unknown>, parents: (partition) => [Math.floor(partition / width)] },
      { kind: 'narrow', rdd: right as RDD<unknown>, parents: (partition) => [partition % width] },
    ],
    *compute(partition, task) {
      const rights = [...right.iterator(partition % width, task)];
      for (const value of left.iterator(Math.floor(partition / width), task)) for (const other of rights) yield [value, other] as [T, U];
    },
  };
}

export async function zipWithIndex<T>(parent: RDD<T>): Promise<RDD<[T, number]>> {
  const counts = await parent.runJob((values) => {
    let count = 0;
    for (const _ of values) count++;
    return count;
  });
  const starts: number[] = [];
  counts.reduce((start, count) => (starts.push(start), start + count), 0);
  return new RDD(parent.context, mapPartitions(parent, 'zipWithIndex', function* (values, partition) {
    let index = starts[partition] ?? 0;
    for (const value of values) yield [value, index++] as [T, number];
  }, false));
}

export async function take<T>(rdd: RDD<T>, count: number): Promise<T[]> {
  if (!Number.isInteger(count) || count < 0) throw new InvalidArgumentError('take', `count ${count} must be a non-negative integer`);
  const taken: T[] = [];
  let next = 0;
  let batch = 1;
  while (taken.length < count && next < rdd.numPartitions) {
    const partitions = Array.from({ length: Math.min(batch, rdd.numPartitions - next) }, (_, index) => next + index);
    const wanted = count - taken.length;
    const parts = await rdd.runJob((values) => {
      const firsts: T[] = [];
      for (const value of values) {
        if (firsts.length >= wanted) break;
        firsts.push(value);
      }
      return firsts;
    }, partitions);
    for (const part of parts) taken.push(...part.slice(0, count - taken.length));
    next += partitions.length;
    batch *= MAX_TAKE_SCALE_UP;
  }
  return taken;
}

export async function takeOrdered<T>(rdd: RDD<T>, count: number, ordering: KeyOrdering<T> | undefined, largest: boolean): Promise<T[]> {
  if (!Number.isInteger(count) || count < 0) throw new InvalidArgumentError(largest ? 'top' : 'takeOrdered', `count ${count} must be a non-negative integer`);
  const compare: KeyOrdering<T> = ordering ?? (defaultOrdering as KeyOrdering<T>);
  const order = largest ? (a: T, b: T) => compare(b, a) : compare;
  const parts = await rdd.runJob((values) => {
    const best: T[] = [];
    for (const value of values) {
      best.push(value);
      if (best.length > count * 2) best.sort(order).length = count;
    }
    return best.sort(order).slice(0, count);
  });
  return parts.flat().sort(order).slice(0, count);
}

function lineOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? inner.toString() : inner));
  return String(value);
}

export async function saveAsTextFile<T>(rdd: RDD<T>, directory: string): Promise<void> {
  if (existsSync(directory)) throw new OutputExistsError(directory);
  const staging = `${directory}.tmp-${randomBytes(6).toString('hex')}`;
  mkdirSync(staging, { recursive: true });
  try {
    await rdd.runJob((values, partition) => {
      const lines: string[] = [];
      for (const value of values) lines.push(lineOf(value));
      writeFileSync(join(staging, `part-${String(partition).padStart(PART_FILE_DIGITS, '0')}`), lines.length === 0 ? '' : `${lines.join('\n')}\n`);
      return null;
    });
    renameSync(staging, directory);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
}

/** Elements of a checkpointed partition (written by the context as one v8-serialised array). */
export function readCheckpoint<T>(directory: string, partition: number): readonly T[] {
  return deserialize(readFileSync(join(directory, `part-${String(partition).padStart(PART_FILE_DIGITS, '0')}`))) as T[];
}
