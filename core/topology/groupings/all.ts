/**
 * All grouping: every tuple is replicated to every target task (e.g. to broadcast a config change
 * or a signal to every task of a bolt).
 */
import { checkedTargetTasks, type Grouping, type GroupingTarget } from './grouping.js';

export function all(target: GroupingTarget): Grouping {
  const tasks = checkedTargetTasks(target);
  return { chooseTasks: () => [...tasks] };
}
