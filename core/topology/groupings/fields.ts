/**
 * Fields grouping: the selected field values form a key; equal keys always go to the same task,
 * `targetTasks[hashKey(key) % n]` with the target tasks sorted ascending (see key-hash.ts). The
 * choice depends only on the key and the task list, never on the emitting task or on history, so
 * every worker routes a key identically.
 */
import { checkedTargetTasks, selectFieldIndexes, selectValues, singletonTaskLists, type Grouping, type GroupingTarget } from './grouping.js';
import { hashKey } from './key-hash.js';

export function fields(target: GroupingTarget, keyFields: readonly string[]): Grouping {
  const tasks = checkedTargetTasks(target);
  const indexes = selectFieldIndexes(target, keyFields);
  const lists = singletonTaskLists(tasks);
  return {
    chooseTasks: (values) => lists[hashKey(selectValues(values, indexes), target) % lists.length] as readonly number[],
  };
}
