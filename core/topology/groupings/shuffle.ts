/**
 * Shuffle grouping: each tuple to one target task, round-robin from a random starting task. Over
 * any run of k·n tuples every one of the n tasks receives exactly k, so the spread is even without
 * a random draw per tuple; the random start keeps many source tasks from all hitting task 1 first.
 */
import { checkedTargetTasks, singletonTaskLists, taskAt, type Grouping, type GroupingTarget } from './grouping.js';

export interface ShuffleOptions {
  /** Uniform in [0, 1); Math.random by default, injectable for deterministic tests. */
  readonly random?: () => number;
}

/** Round-robin over `tasks` (non-empty, already checked) from a random position. */
export function roundRobin(tasks: readonly number[], random: () => number): () => number {
  let position = Math.min(tasks.length - 1, Math.floor(random() * tasks.length));
  return () => {
    const task = taskAt(tasks, position);
    position = (position + 1) % tasks.length;
    return task;
  };
}

export function shuffle(target: GroupingTarget, options: ShuffleOptions = {}): Grouping {
  const tasks = checkedTargetTasks(target);
  const lists = singletonTaskLists(tasks);
  let position = Math.min(tasks.length - 1, Math.floor((options.random ?? Math.random)() * tasks.length));
  return {
    chooseTasks: () => {
      const list = lists[position] as readonly number[];
      position = (position + 1) % lists.length;
      return list;
    },
  };
}
