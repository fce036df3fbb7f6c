/**
 * Partial-key grouping ("power of two choices", Nasir et al., ICDE 2015, as in Storm): each key
 * has two candidate tasks picked by two independent hashes, and each tuple goes to whichever of
 * the two this grouping has sent fewer tuples so far. A hot key is split over two tasks instead of
 * overloading one, so skewed keys spread far more evenly than with the fields grouping; the price
 * is that a key's state is partial on up to two tasks and must be merged downstream.
 * Counts are this grouping instance's (one per emitting task), as in Storm.
 */
import { checkedTargetTasks, selectFieldIndexes, selectValues, taskAt, type Grouping, type GroupingTarget } from './grouping.js';
import { canonicalKey, hashCanonicalKey } from './key-hash.js';
import { PARTIAL_KEY_HASH_SEEDS } from './limits.js';

export function partialKey(target: GroupingTarget, keyFields: readonly string[]): Grouping {
  const tasks = checkedTargetTasks(target);
  const indexes = selectFieldIndexes(target, keyFields);
  const sentByPosition = new Array<number>(tasks.length).fill(0);
  return {
    chooseTasks: (values) => {
      const key = canonicalKey(selectValues(values, indexes), target);
      let chosen = -1;
      for (const seed of PARTIAL_KEY_HASH_SEEDS) {
        const position = hashCanonicalKey(key, seed) % tasks.length;
        if (chosen < 0 || (sentByPosition[position] ?? 0) < (sentByPosition[chosen] ?? 0)) chosen = position;
      }
      sentByPosition[chosen] = (sentByPosition[chosen] ?? 0) + 1;
      return [taskAt(tasks, chosen)];
    },
  };
}
