/**
 * What changes between two rings: the ranges whose replica set differs, with the nodes that held
 * them and the nodes that will. The serving layer streams each range from a node of `from` to
 * each node of `gained` before switching reads, then lets `lost` drop it.
 *
 * Guarantees: ranges are in ring order, do not overlap, never wrap, and adjacent partitions with
 * the same change are merged; a range absent from the result has the same replica set (as a set)
 * in both rings. Rings of different partition counts compare at the finer grain.
 */
import { HASH_SPACE_END, type HashRange, type HashRing } from './ring.js';

export interface RangeMove {
  readonly range: HashRange;
  /** Replicas before, in preference order (empty when the old ring was empty). */
  readonly from: readonly string[];
  /** Replicas after, in preference order. */
  readonly to: readonly string[];
  /** Nodes in `to` but not in `from`: they must receive the range. */
  readonly gained: readonly string[];
  /** Nodes in `from` but not in `to`: they may drop the range once the others have it. */
  readonly lost: readonly string[];
}

/** Replica sets (n replicas per key) that differ between `before` and `after`. */
export function diffRings(before: HashRing, after: HashRing, n: number): RangeMove[] {
  const partitions = Math.max(before.partitionCount, after.partitionCount, 1);
  const width = HASH_SPACE_END / BigInt(partitions);
  const moves: RangeMove[] = [];
  for (let partition = 0; partition < partitions; partition++) {
    const from = replicasAt(before, partition, partitions, n);
    const to = replicasAt(after, partition, partitions, n);
    if (sameMembers(from, to)) continue;
    const start = BigInt(partition) * width;
    const range = { start, end: start + width };
    const last = moves[moves.length - 1];
    if (last !== undefined && last.range.end === start && sameOrder(last.from, from) && sameOrder(last.to, to)) {
      moves[moves.length - 1] = { ...last, range: { start: last.range.start, end: range.end } };
    } else {
      moves.push({ range, from, to, gained: to.filter((node) => !from.includes(node)), lost: from.filter((node) => !to.includes(node)) });
    }
  }
  return moves;
}

/** Replicas of fine partition `partition` (of `partitions`) in a ring that may be coarser. */
function replicasAt(ring: HashRing, partition: number, partitions: number, n: number): string[] {
  if (ring.size === 0) return [];
  const coarse = Math.floor(partition / (partitions / ring.partitionCount));
  return ring.replicasOfPartition(coarse, n);
}

function sameMembers(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((node) => b.includes(node));
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((node, i) => node === b[i]);
}
