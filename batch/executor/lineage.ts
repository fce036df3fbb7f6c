/**
 * Names the pieces of a lineage so tasks can refer to them across threads: every RDD reachable
 * from a root by id, every shuffle dependency by shuffle id, and a fingerprint of an RDD's lineage
 * that two threads compare to prove they rebuilt the same thing.
 */
import type { ShuffleDependency } from '../rdd/dependency.js';
import type { RDD } from '../rdd/rdd.js';

export interface LineageIndex {
  readonly rdds: ReadonlyMap<number, RDD<unknown>>;
  readonly shuffles: ReadonlyMap<number, ShuffleDependency>;
}

export function indexLineage(root: RDD<unknown>): LineageIndex {
  const rdds = new Map<number, RDD<unknown>>();
  const shuffles = new Map<number, ShuffleDependency>();
  const stack = [root];
  while (stack.length > 0) {
    const rdd = stack.pop() as RDD<unknown>;
    if (rdds.has(rdd.id)) continue;
    rdds.set(rdd.id, rdd);
    for (const dependency of rdd.dependencies) {
      if (dependency.kind === 'shuffle') shuffles.set(dependency.shuffleId, dependency);
      stack.push(dependency.rdd);
    }
  }
  return { rdds, shuffles };
}

/** Ids, operations, partition counts and dependency shapes of `rdd` and its ancestors. */
export function lineageFingerprint(rdd: RDD<unknown>): string {
  const parts: string[] = [];
  const seen = new Set<number>();
  const visit = (current: RDD<unknown>): void => {
    if (seen.has(current.id)) return;
    seen.add(current.id);
    const dependencies = current.dependencies.map((dependency) =>
      dependency.kind === 'shuffle' ? `s${dependency.shuffleId}:${dependency.rdd.id}:${dependency.partitioner.describe()}` : `n${dependency.rdd.id}`,
    );
    parts.push(`${current.id}:${current.plan.name}:${current.numPartitions}:${dependencies.join(',')}`);
    for (const dependency of current.dependencies) visit(dependency.rdd);
  };
  visit(rdd);
  return parts.join(';');
}
