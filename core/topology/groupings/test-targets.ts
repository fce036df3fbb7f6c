/** Test helper: a grouping target with readable defaults. */
import type { GroupingTarget } from './grouping.js';
import { mulberry32 } from '../../random/mulberry32.js';

export function targetOf(targetTasks: readonly number[], sourceFields: readonly string[] = ['word', 'count']): GroupingTarget {
  return { componentId: 'counter', sourceComponentId: 'splitter', streamId: 'default', targetTasks, sourceFields };
}

/** Task ids first..first+count-1. */
export function taskRange(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, index) => first + index);
}

/** How many tuples each task received. */
export function tally(choices: Iterable<number>): Map<number, number> {
  const counts = new Map<number, number>();
  for (const task of choices) counts.set(task, (counts.get(task) ?? 0) + 1);
  return counts;
}

export const seededRandom = mulberry32;
