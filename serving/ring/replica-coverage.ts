/**
 * Replicated coverage of a partition table: for each node, how many partitions have it among
 * their first n distinct owners clockwise — the share of data it stores at replication factor n.
 * The claim uses it to pick, among the partitions a joining node may take, those that keep every
 * node's stored share even. Kept exact incrementally as owners change; allocation-free on the hot
 * path, since a join weighs thousands of candidates.
 */
import { MAX_COVERAGE_REACH } from './limits.js';

export class ReplicaCoverage {
  /** coverage[node] = partitions whose first n distinct owners include node. */
  readonly coverage: Int32Array;
  readonly #owners: Uint16Array;
  readonly #replicas: number;
  readonly #mask: number;
  /** Scratch: marks per node, pending coverage changes, which nodes they touch, affected starts. */
  readonly #marks: Uint8Array;
  readonly #change: Int32Array;
  readonly #touched: number[] = [];
  readonly #starts = new Int32Array(MAX_COVERAGE_REACH);
  readonly #walk: number[] = [];

  /** Tracks `owners` (which it mutates through `assign`) for nodes 0..nodeCount-1. */
  constructor(owners: Uint16Array, nodeCount: number, replicas: number) {
    this.#owners = owners;
    this.#replicas = replicas;
    this.#mask = owners.length - 1;
    this.#marks = new Uint8Array(nodeCount);
    this.#change = new Int32Array(nodeCount);
    this.coverage = new Int32Array(nodeCount);
    this.#recomputeAll();
  }

  /**
   * How much Σ (coverage − target)² would change if `partition` passed to `owner`; undefined when
   * the change reaches too far to weigh cheaply.
   */
  costOfAssign(partition: number, owner: number, target: number): number | undefined {
    const starts = this.#affectedStarts(partition);
    if (starts === undefined) return undefined;
    this.#collectChange(partition, owner, starts);
    let cost = 0;
    for (const node of this.#touched) {
      const before = (this.coverage[node] ?? 0) - target;
      const after = before + (this.#change[node] ?? 0);
      cost += after * after - before * before;
      this.#change[node] = 0;
    }
    this.#touched.length = 0;
    return cost;
  }

  /** Gives `partition` to `owner`, keeping the coverage exact. */
  assign(partition: number, owner: number): void {
    const starts = this.#affectedStarts(partition);
    if (starts === undefined) {
      this.#owners[partition] = owner;
      this.#recomputeAll();
      return;
    }
    this.#collectChange(partition, owner, starts);
    this.#owners[partition] = owner;
    for (const node of this.#touched) {
      this.coverage[node] = (this.coverage[node] ?? 0) + (this.#change[node] ?? 0);
      this.#change[node] = 0;
    }
    this.#touched.length = 0;
  }

  /** Fills #change/#touched with the coverage change of the move; leaves the owners as they were. */
  #collectChange(partition: number, owner: number, starts: number): void {
    const previous = this.#owners[partition] ?? owner;
    this.#addWalks(starts, -1);
    this.#owners[partition] = owner;
    this.#addWalks(starts, 1);
    this.#owners[partition] = previous;
  }

  #addWalks(starts: number, sign: 1 | -1): void {
    for (let i = 0; i < starts; i++) {
      for (const node of this.#walkFrom(this.#starts[i] ?? 0)) {
        if (this.#change[node] === 0 && !this.#touched.includes(node)) this.#touched.push(node);
        this.#change[node] = (this.#change[node] ?? 0) + sign;
      }
    }
  }

  /** Writes into #starts the partitions whose walk reaches `partition` (fewer than n distinct
   * owners lie between); returns how many, or undefined past MAX_COVERAGE_REACH. */
  #affectedStarts(partition: number): number | undefined {
    this.#starts[0] = partition;
    let count = 1;
    let distinct = 0;
    let tooFar = false;
    const marked: number[] = this.#walk;
    marked.length = 0;
    for (let distance = 1; distance <= this.#mask; distance++) {
      const start = (partition - distance) & this.#mask;
      const owner = this.#owners[start] ?? 0;
      if (this.#marks[owner] === 0) {
        this.#marks[owner] = 1;
        marked.push(owner);
        distinct++;
      }
      if (distinct >= this.#replicas) break;
      if (count >= MAX_COVERAGE_REACH) {
        tooFar = true;
        break;
      }
      this.#starts[count++] = start;
    }
    for (const owner of marked) this.#marks[owner] = 0;
    return tooFar ? undefined : count;
  }

  /** First n distinct owners clockwise from `start` (a shared buffer: use before the next call). */
  #walkFrom(start: number): readonly number[] {
    const found = this.#walk;
    found.length = 0;
    for (let step = 0; step <= this.#mask && found.length < this.#replicas; step++) {
      const owner = this.#owners[(start + step) & this.#mask] ?? 0;
      if (this.#marks[owner] === 1) continue;
      this.#marks[owner] = 1;
      found.push(owner);
    }
    for (const owner of found) this.#marks[owner] = 0;
    return found;
  }

  #recomputeAll(): void {
    this.coverage.fill(0);
    for (let start = 0; start <= this.#mask; start++) {
      for (const node of this.#walkFrom(start)) this.coverage[node] = (this.coverage[node] ?? 0) + 1;
    }
  }
}
