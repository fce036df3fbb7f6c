/**
 * The shape every grouping shares, and the checks every factory runs on what it is prepared with.
 * A grouping is prepared once per (source task, subscription) — like Storm's
 * `CustomStreamGrouping.prepare` — so any state it keeps (round-robin position, load counts) is the
 * view of one emitting task.
 */
import {
  InvalidKeyFieldsError,
  InvalidTargetTasksError,
  UndeclaredFieldError,
  type GroupingLocation,
} from './errors.js';
import { MAX_GROUPING_KEY_FIELDS, MAX_GROUPING_TARGET_TASKS } from './limits.js';

/** Routes one tuple: the ids of the tasks that receive it. The array may be shared between calls
 * (groupings hand out one frozen array per task instead of allocating per tuple): never mutate it. */
export interface Grouping {
  chooseTasks(values: readonly unknown[], sourceTaskId: number): readonly number[];
}

/** One frozen single-task array per task, so a grouping choosing one task allocates nothing. */
export function singletonTaskLists(tasks: readonly number[]): readonly (readonly number[])[] {
  return tasks.map((task) => Object.freeze([task]));
}

/** What a grouping is prepared with: where it sits, who may receive, what the source declares. */
export interface GroupingTarget extends GroupingLocation {
  /** Task ids of the subscribing component. */
  readonly targetTasks: readonly number[];
  /** Declared output fields of the source stream, in tuple order. */
  readonly sourceFields: readonly string[];
}

/** Checks the target tasks and returns them sorted ascending (a copy: the caller's array may change). */
export function checkedTargetTasks(target: GroupingTarget): readonly number[] {
  const tasks = [...target.targetTasks].sort((a, b) => a - b);
  if (tasks.length === 0) {
    throw new InvalidTargetTasksError('NO_TARGET_TASKS', target, tasks, 'no target tasks; a subscriber needs parallelism >= 1');
  }
  if (tasks.length > MAX_GROUPING_TARGET_TASKS) {
    throw new InvalidTargetTasksError('TOO_MANY_TARGET_TASKS', target, tasks, `${tasks.length} target tasks exceed the limit of ${MAX_GROUPING_TARGET_TASKS}`);
  }
  tasks.forEach((task, index) => {
    if (!Number.isSafeInteger(task) || task < 1 || tasks[index - 1] === task) {
      throw new InvalidTargetTasksError('INVALID_TARGET_TASK', target, tasks, `target task ${String(task)} is not a unique positive integer`);
    }
  });
  return tasks;
}

/**
 * Positions of `fields` among the source's declared fields. Throws when a field is undeclared, or
 * the selection is empty, repeated or longer than MAX_GROUPING_KEY_FIELDS.
 */
export function selectFieldIndexes(target: GroupingTarget, fields: readonly string[]): number[] {
  if (fields.length === 0) throw new InvalidKeyFieldsError(target, fields, 'selects no fields; name at least one key field');
  if (fields.length > MAX_GROUPING_KEY_FIELDS) {
    throw new InvalidKeyFieldsError(target, fields, `selects ${fields.length} fields, more than the limit of ${MAX_GROUPING_KEY_FIELDS}`);
  }
  if (new Set(fields).size !== fields.length) throw new InvalidKeyFieldsError(target, fields, `selects a field twice: [${fields.join(', ')}]`);
  return fields.map((field) => {
    const index = target.sourceFields.indexOf(field);
    if (index < 0) throw new UndeclaredFieldError(target, field, target.sourceFields);
    return index;
  });
}

/** The values at `indexes` (a missing value reads as undefined, which has its own encoding). */
export function selectValues(values: readonly unknown[], indexes: readonly number[]): unknown[] {
  if (indexes.length === 1) return [values[indexes[0] as number]];
  return indexes.map((index) => values[index]);
}

/** The task at `position` of a non-empty task list (the list was checked when prepared). */
export function taskAt(tasks: readonly number[], position: number): number {
  const task = tasks[position];
  if (task === undefined) throw new RangeError(`grouping invariant: position ${position} outside ${tasks.length} tasks`);
  return task;
}
