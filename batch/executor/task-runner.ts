/**
 * Runs one task in the current thread: loads what the stage's sources need (async prefetch), then
 * either writes the partition's shuffle output (shuffle-map task) or applies the job's function
 * to the partition (result task). Used by the in-process backend and by executor threads alike.
 */
import { ShuffleWriter, type MapStatus } from '../shuffle/index.js';
import type { RDD } from '../rdd/rdd.js';
import type { ShuffleDependency } from '../rdd/dependency.js';
import type { BlockStore, TaskContext } from '../rdd/task-context.js';

export type ResolvedTask =
  | { readonly kind: 'shuffleMap'; readonly stageId: number; readonly rdd: RDD<unknown>; readonly dependency: ShuffleDependency; readonly partition: number; readonly attempt: number }
  | { readonly kind: 'result'; readonly stageId: number; readonly rdd: RDD<unknown>; readonly partition: number; readonly attempt: number; readonly fn: (values: Iterable<unknown>, partition: number) => unknown };

export interface TaskEnvironment {
  readonly workDirectory: string;
  readonly memoryLimitBytes: number;
  readonly blocks: BlockStore;
  readonly mapOutputs: ReadonlyMap<number, readonly MapStatus[]>;
  readonly checkpoints: ReadonlyMap<number, string>;
}

export type TaskOutput = { readonly kind: 'mapStatus'; readonly status: MapStatus } | { readonly kind: 'result'; readonly value: unknown };

/** Calls prefetch on every RDD of the stage (narrow ancestors) for the partitions this task reads. */
async function prefetchStage(rdd: RDD<unknown>, partition: number, context: TaskContext, seen = new Set<string>()): Promise<void> {
  const key = `${rdd.id}/${partition}`;
  if (seen.has(key) || context.checkpointOf(rdd.id) !== undefined) return;
  seen.add(key);
  await rdd.plan.prefetch?.(partition, context);
  for (const dependency of rdd.dependencies) {
    if (dependency.kind !== 'narrow') continue;
    for (const parentPartition of dependency.parents(partition)) await prefetchStage(dependency.rdd, parentPartition, context, seen);
  }
}

export async function runTask(task: ResolvedTask, environment: TaskEnvironment): Promise<TaskOutput> {
  const context: TaskContext = {
    stageId: task.stageId,
    partition: task.partition,
    attempt: task.attempt,
    workDirectory: environment.workDirectory,
    memoryLimitBytes: environment.memoryLimitBytes,
    blocks: environment.blocks,
    mapOutputs: (shuffleId) => environment.mapOutputs.get(shuffleId) ?? [],
    checkpointOf: (rddId) => environment.checkpoints.get(rddId),
  };
  await prefetchStage(task.rdd, task.partition, context);
  if (task.kind === 'result') return { kind: 'result', value: task.fn(task.rdd.iterator(task.partition, context), task.partition) };
  const { dependency } = task;
  const writer = new ShuffleWriter<unknown, unknown, unknown>({
    directory: environment.workDirectory,
    shuffleId: dependency.shuffleId,
    mapPartition: task.partition,
    partitioner: dependency.partitioner,
    ...(dependency.mapSideCombine && dependency.aggregator !== undefined ? { aggregator: dependency.aggregator } : {}),
    ...(dependency.keyOrdering === undefined ? {} : { keyOrdering: dependency.keyOrdering }),
    memoryLimitBytes: environment.memoryLimitBytes,
  });
  const rdd = task.rdd as RDD<readonly [unknown, unknown]>;
  const status = writer.writeFrom((emit) => rdd.forEachIn(task.partition, context, (record) => emit(record[0], record[1])));
  return { kind: 'mapStatus', status };
}
