/** Test helper: a grouping target with readable defaults. */
import type { GroupingTarget } from './grouping.js';

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

/** Deterministic uniform [0,1) generator (mulberry32) for reproducible tests. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b_79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
