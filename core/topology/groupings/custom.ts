/**
 * Custom grouping: a user function picks the receivers. Its answer is checked against the target
 * tasks on every tuple, so a bug in user code surfaces as a typed error naming the subscription
 * instead of a tuple silently sent to a task that does not subscribe.
 */
import { NotATargetTaskError } from './errors.js';
import { checkedTargetTasks, type Grouping, type GroupingTarget } from './grouping.js';

/** Chooses receivers among `targetTasks` (sorted ascending); may return several, or none to drop. */
export type CustomChooser = (values: readonly unknown[], sourceTaskId: number, targetTasks: readonly number[]) => readonly number[];

export function custom(target: GroupingTarget, chooser: CustomChooser): Grouping {
  const tasks = checkedTargetTasks(target);
  const members = new Set(tasks);
  return {
    chooseTasks: (values, sourceTaskId) => {
      const chosen = [...chooser(values, sourceTaskId, tasks)];
      for (const task of chosen) {
        if (!members.has(task)) throw new NotATargetTaskError(target, task, tasks);
      }
      return chosen;
    },
  };
}
