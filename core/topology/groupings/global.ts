/**
 * Global grouping: the whole stream goes to one task, the lowest task id, as in Storm — so every
 * worker agrees on it without talking (e.g. a final total or a top-N merge).
 */
import { checkedTargetTasks, taskAt, type Grouping, type GroupingTarget } from './grouping.js';

export function global(target: GroupingTarget): Grouping {
  const lowest = taskAt(checkedTargetTasks(target), 0);
  return { chooseTasks: () => [lowest] };
}
