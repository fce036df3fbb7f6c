/**
 * Which node owns which partition: the claim a joining node makes and the hand-over when a node
 * leaves. Pure functions over a table `owners[partition] = node index`.
 *
 * Guarantees:
 * - a join moves partitions only to the joining node, a leave moves only the leaving node's
 *   partitions (minimal movement);
 * - a joining node ends with ⌊Q/N⌋ partitions, taken from the nodes above ⌈Q/N⌉ first, so a
 *   balanced table stays balanced (every node within one partition of the others);
 * - the claim also evens replicated coverage at n = window (replica-coverage.ts), so the data a
 *   node stores, not only the keys it is primary for, stays balanced;
 * - the result is a function of the table, the node's id and the ring seed only: every member
 *   computes the same table. Which partitions a node prefers comes from XXH64(nodeId, seed).
 */
import { RingInvariantError } from './errors.js';
import { CLAIM_LOOKAHEAD_PARTITIONS } from './limits.js';
import { ReplicaCoverage } from './replica-coverage.js';
import { xxhash64Key } from './xxhash64.js';

/** A node's preference over partitions: two 32-bit words derived from XXH64(nodeId, seed). */
export interface NodeScoreSeed {
  readonly high: number;
  readonly low: number;
}

export function nodeScoreSeed(nodeId: string, seed: number): NodeScoreSeed {
  const hash = xxhash64Key(nodeId, BigInt(seed));
  return { high: Number(hash >> 32n), low: Number(hash & 0xffff_ffffn) };
}

/** MurmurHash3's 32-bit finaliser: a bijective, well-mixing step. */
function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85eb_ca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2_ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** How much `node` wants `partition` (a uniform 32-bit number; higher wins). */
export function partitionScore(node: NodeScoreSeed, partition: number): number {
  return mix32(mix32(Math.imul(partition + 1, 0x9e37_79b1) ^ node.high) ^ node.low);
}

/** Partitions in the node's order of preference. */
function preferenceOrder(node: NodeScoreSeed, partitionCount: number): Float64Array {
  const keys = new Float64Array(partitionCount);
  for (let p = 0; p < partitionCount; p++) keys[p] = (0xffff_ffff - partitionScore(node, p)) * partitionCount + p;
  keys.sort();
  for (let i = 0; i < partitionCount; i++) keys[i] = (keys[i] ?? 0) % partitionCount;
  return keys;
}

export function countPartitions(owners: Uint16Array, nodeCount: number): Int32Array {
  const counts = new Int32Array(nodeCount);
  for (const owner of owners) counts[owner] = (counts[owner] ?? 0) + 1;
  return counts;
}

/** True when no partition within `window - 1` of `partition` (either side) belongs to `node`. */
function fitsWindow(owners: Uint16Array, partition: number, node: number, window: number): boolean {
  const mask = owners.length - 1;
  for (let distance = 1; distance < window; distance++) {
    if (owners[(partition + distance) & mask] === node || owners[(partition - distance) & mask] === node) return false;
  }
  return true;
}

/** True when the owner of `partition` also owns a partition within `window - 1` of it. */
function crowded(owners: Uint16Array, partition: number, window: number): boolean {
  return !fitsWindow(owners, partition, owners[partition] ?? 0, window);
}

/**
 * Node `joining` (index = nodeCount, one past the current nodes) takes ⌊Q/(nodeCount+1)⌋
 * partitions: first from nodes above the new ceiling, then from nodes above the new floor. Among
 * its next CLAIM_LOOKAHEAD_PARTITIONS preferred candidates it takes the one that best evens the
 * replicated coverage at n = window. While the ring has no more nodes than the window every node
 * covers everything; it then keeps its own partitions apart and breaks runs of one owner, so that
 * later joins start from a well-mixed table.
 */
export function claimPartitions(owners: Uint16Array, nodeCount: number, joining: NodeScoreSeed, window: number): Uint16Array {
  const partitionCount = owners.length;
  const claimed = owners.slice();
  const newNode = nodeCount;
  const target = Math.floor(partitionCount / (nodeCount + 1));
  const ceiling = Math.ceil(partitionCount / (nodeCount + 1));
  const counts = countPartitions(owners, nodeCount + 1);
  const order = preferenceOrder(joining, partitionCount);
  const coverage = nodeCount + 1 > window ? new ReplicaCoverage(claimed, nodeCount + 1, window) : undefined;
  const coverageTarget = (window * partitionCount) / (nodeCount + 1);
  const effectiveWindow = Math.min(window, nodeCount + 1);
  // Where coverage cannot be weighed (too few nodes, or a long run of one owner), structure decides.
  const cost = (partition: number): number =>
    coverage?.costOfAssign(partition, newNode, coverageTarget) ??
    (fitsWindow(claimed, partition, newNode, effectiveWindow) ? 0 : 2) + (crowded(claimed, partition, effectiveWindow) ? 0 : 1);
  for (const threshold of [ceiling, target]) {
    const eligible = (partition: number): boolean => {
      const owner = claimed[partition] ?? newNode;
      return owner !== newNode && (counts[owner] ?? 0) > threshold;
    };
    let cursor = 0;
    let pending: number[] = [];
    while (counts[newNode] !== target) {
      pending = pending.filter(eligible);
      while (pending.length < CLAIM_LOOKAHEAD_PARTITIONS && cursor < order.length) {
        const partition = order[cursor++] ?? 0;
        if (eligible(partition)) pending.push(partition);
      }
      if (pending.length === 0) break;
      const partition = pending.splice(cheapest(pending, cost), 1)[0] ?? 0;
      const owner = claimed[partition] ?? 0;
      if (coverage === undefined) claimed[partition] = newNode;
      else coverage.assign(partition, newNode);
      counts[owner] = (counts[owner] ?? 0) - 1;
      counts[newNode] = (counts[newNode] ?? 0) + 1;
    }
  }
  if (counts[newNode] !== target) throw new RingInvariantError('a joining node claims its share', { target, claimed: counts[newNode] });
  return claimed;
}

/** Index of the candidate of least cost; the earliest (most preferred) on ties. */
function cheapest(candidates: readonly number[], cost: (candidate: number) => number): number {
  let best = 0;
  let bestCost = Number.POSITIVE_INFINITY;
  candidates.forEach((candidate, index) => {
    const candidateCost = cost(candidate);
    if (candidateCost < bestCost) {
      best = index;
      bestCost = candidateCost;
    }
  });
  return best;
}

/**
 * Node `leaving` hands each of its partitions to a node with the fewest partitions, among those
 * preferring one that keeps the distinct window, then the one that wants it most. Indices
 * above `leaving` shift down by one, as the node list does.
 */
export function releasePartitions(owners: Uint16Array, nodes: readonly NodeScoreSeed[], leaving: number, window: number): Uint16Array {
  const released = owners.slice();
  const counts = countPartitions(owners, nodes.length);
  for (let partition = 0; partition < released.length; partition++) {
    if (released[partition] !== leaving) continue;
    const heir = chooseHeir(released, counts, nodes, leaving, partition, window);
    released[partition] = heir;
    counts[heir] = (counts[heir] ?? 0) + 1;
  }
  return released.map((owner) => {
    if (owner === leaving) throw new RingInvariantError('every partition of a leaving node finds an heir', { leaving });
    return owner > leaving ? owner - 1 : owner;
  });
}

function chooseHeir(
  owners: Uint16Array,
  counts: Int32Array,
  nodes: readonly NodeScoreSeed[],
  leaving: number,
  partition: number,
  window: number,
): number {
  let best = -1;
  let bestRank: readonly [number, number, number] = [0, 0, 0];
  nodes.forEach((node, index) => {
    if (index === leaving) return;
    // Fewest partitions first (keeps every node within one of the others), then the window, then preference.
    const rank = [counts[index] ?? 0, fitsWindow(owners, partition, index, window) ? 0 : 1, -partitionScore(node, partition)] as const;
    if (best === -1 || rank[0] < bestRank[0] || (rank[0] === bestRank[0] && (rank[1] < bestRank[1] || (rank[1] === bestRank[1] && rank[2] < bestRank[2])))) {
      best = index;
      bestRank = rank;
    }
  });
  if (best === -1) throw new RingInvariantError('a leaving node has an heir', { leaving, nodes: nodes.length });
  return best;
}
