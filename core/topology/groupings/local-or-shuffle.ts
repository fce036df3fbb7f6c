/**
 * Local-or-shuffle grouping: prefer the target tasks that run in the same worker as the emitting
 * task (no serialisation, no network hop); shuffle among them, or among all targets when none is
 * local. The worker of a task comes from `workerOf`, supplied by whoever placed the tasks.
 */
import { checkedTargetTasks, type Grouping, type GroupingTarget } from './grouping.js';
import { roundRobin, type ShuffleOptions } from './shuffle.js';

export type WorkerOf = (taskId: number) => string | number;

export interface LocalOrShuffleOptions extends ShuffleOptions {
  readonly workerOf: WorkerOf;
}

export function localOrShuffle(target: GroupingTarget, options: LocalOrShuffleOptions): Grouping {
  const tasks = checkedTargetTasks(target);
  const random = options.random ?? Math.random;
  // One round-robin per emitting task: bounded by the source's parallelism.
  const bySourceTask = new Map<number, () => number>();
  const nextFor = (sourceTaskId: number): (() => number) => {
    let next = bySourceTask.get(sourceTaskId);
    if (next === undefined) {
      const worker = options.workerOf(sourceTaskId);
      const local = tasks.filter((task) => options.workerOf(task) === worker);
      next = roundRobin(local.length > 0 ? local : tasks, random);
      bySourceTask.set(sourceTaskId, next);
    }
    return next;
  };
  return { chooseTasks: (_values, sourceTaskId) => [nextFor(sourceTaskId)()] };
}
