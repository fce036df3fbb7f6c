/**
 * The consistent-hashing ring of the serving layer: which nodes hold a key.
 *
 * Keys hash with XXH64 onto [0, 2^64). The space is cut into Q equal partitions (the virtual
 * nodes; Q = vnodesPerNode × maxNodes rounded up to a power of two, fixed for the ring's life);
 * each partition has one owner, and a key's preference list is the next n distinct owners
 * clockwise from its partition, its fallbacks the distinct owners after those (sloppy quorum,
 * hinted handoff). Every node holds at least vnodesPerNode partitions.
 *
 * Why claimed partitions rather than random tokens: with k random tokens per node a node's share
 * has a standard deviation of 1/√k of the mean — 6 % at k = 256, so most 10-node rings have a
 * node more than 10 % off. Like Dynamo's strategy 3 and Riak, a joining node instead claims
 * partitions from the most loaded nodes (partition-claim.ts): own shares end within one
 * partition of each other, replicated shares (at n = distinctWindow) within a few percent. Q is
 * fixed because splitting partitions later would leave old nodes with runs of adjacent
 * partitions, which skews replicated shares by tens of percent.
 *
 * Guarantees: immutable values; a join moves ranges only to the new node, a leave only away from
 * the leaving node; preference lists hold min(n, size) distinct nodes. Determinism: the ring is a
 * function of the seed, the options and the sequence of joins and leaves — `fromMembers(list)`
 * replays joins in list order, so keep the list in join order, and store the ring itself
 * (ring-codec.ts) once nodes have left.
 */
import {
  DuplicateNodeError,
  EmptyRingError,
  InvalidNodeIdError,
  InvalidPartitionError,
  InvalidReplicaCountError,
  InvalidRingOptionsError,
  MalformedRingError,
  RingFullError,
  UnknownNodeError,
} from './errors.js';
import {
  DEFAULT_DISTINCT_WINDOW,
  DEFAULT_MAX_NODES,
  DEFAULT_VNODES_PER_NODE,
  KEY_HASH_SEED,
  MAX_DISTINCT_WINDOW,
  MAX_NODE_ID_LENGTH,
  MAX_PARTITIONS,
  MAX_RING_NODES,
  MAX_VNODES_PER_NODE,
} from './limits.js';
import { claimPartitions, countPartitions, nodeScoreSeed, releasePartitions, type NodeScoreSeed } from './partition-claim.js';
import { xxhash64Key } from './xxhash64.js';

export interface RingOptions {
  /** Fewest partitions each node holds. Default DEFAULT_VNODES_PER_NODE. */
  readonly vnodesPerNode?: number;
  /** Most nodes the ring will hold; with vnodesPerNode it fixes Q. Default DEFAULT_MAX_NODES. */
  readonly maxNodes?: number;
  /** Seed of partition preferences (uint32); every member must use the same. Default 0. */
  readonly seed?: number;
  /** Consecutive partitions kept on distinct nodes where possible. Default DEFAULT_DISTINCT_WINDOW. */
  readonly distinctWindow?: number;
}

export interface RingSettings {
  readonly vnodesPerNode: number;
  readonly maxNodes: number;
  readonly seed: number;
  readonly distinctWindow: number;
}

/** A slice [start, end) of the 64-bit hash space; end may be 2^64. Ranges never wrap. */
export interface HashRange {
  readonly start: bigint;
  readonly end: bigint;
}

export const HASH_SPACE_END = 1n << 64n;

/** The ring position of a key (UTF-8 for strings). */
export function hashKey(key: string | Uint8Array): bigint {
  return xxhash64Key(key, KEY_HASH_SEED);
}

export function rangeContains(range: HashRange, hash: bigint): boolean {
  return hash >= range.start && hash < range.end;
}

export function assertNodeId(nodeId: unknown): string {
  if (typeof nodeId !== 'string') throw new InvalidNodeIdError(nodeId, 'not a string');
  if (nodeId.length === 0) throw new InvalidNodeIdError(nodeId, 'empty');
  if (nodeId.length > MAX_NODE_ID_LENGTH) throw new InvalidNodeIdError(nodeId.slice(0, 32), `longer than ${MAX_NODE_ID_LENGTH} characters`);
  return nodeId;
}

function assertReplicaCount(count: number): number {
  if (!Number.isSafeInteger(count) || count < 1) throw new InvalidReplicaCountError(count);
  return count;
}

function integerOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new InvalidRingOptionsError(name, value, `an integer in [${min}, ${max}]`);
  return value;
}

export function ringSettings(options: RingOptions = {}): RingSettings {
  const vnodesPerNode = integerOption('vnodesPerNode', options.vnodesPerNode ?? DEFAULT_VNODES_PER_NODE, 1, MAX_VNODES_PER_NODE);
  const maxNodes = integerOption('maxNodes', options.maxNodes ?? DEFAULT_MAX_NODES, 1, MAX_RING_NODES);
  if (partitionsFor(vnodesPerNode, maxNodes) > MAX_PARTITIONS) {
    throw new InvalidRingOptionsError('maxNodes', maxNodes, `at most ${Math.floor(MAX_PARTITIONS / vnodesPerNode)} at ${vnodesPerNode} vnodes per node`);
  }
  return {
    vnodesPerNode,
    maxNodes,
    seed: integerOption('seed', options.seed ?? 0, 0, 0xffff_ffff),
    distinctWindow: integerOption('distinctWindow', options.distinctWindow ?? DEFAULT_DISTINCT_WINDOW, 1, MAX_DISTINCT_WINDOW),
  };
}

/** Q: vnodesPerNode × maxNodes rounded up to a power of two. */
export function partitionsFor(vnodesPerNode: number, maxNodes: number): number {
  let power = 1;
  while (power < vnodesPerNode * maxNodes) power *= 2;
  return power;
}

export class HashRing {
  readonly settings: RingSettings;
  readonly #nodes: readonly string[];
  readonly #owners: Uint16Array;
  readonly #indexById: ReadonlyMap<string, number>;
  readonly #scoreSeeds: readonly NodeScoreSeed[];
  readonly #shift: bigint;

  private constructor(settings: RingSettings, nodes: readonly string[], owners: Uint16Array) {
    this.settings = settings;
    this.#nodes = Object.freeze([...nodes]);
    this.#owners = owners;
    this.#indexById = new Map(nodes.map((id, index) => [id, index]));
    this.#scoreSeeds = nodes.map((id) => nodeScoreSeed(id, settings.seed));
    this.#shift = BigInt(64 - Math.log2(Math.max(1, owners.length)));
  }

  /** A ring with no nodes. */
  static empty(options: RingOptions = {}): HashRing {
    return new HashRing(ringSettings(options), [], new Uint16Array(0));
  }

  /** The ring every member computes from the same membership list (in join order). */
  static fromMembers(nodeIds: readonly string[], options: RingOptions = {}): HashRing {
    return nodeIds.reduce((ring, nodeId) => ring.withNode(nodeId), HashRing.empty(options));
  }

  /** A ring from a stored partition table, checked (MalformedRingError) before use. */
  static fromTable(options: RingOptions, nodeIds: readonly string[], owners: Uint16Array): HashRing {
    const settings = ringSettings(options);
    const nodes = nodeIds.map(assertNodeId);
    if (new Set(nodes).size !== nodes.length) throw new MalformedRingError('duplicate node ids');
    const partitions = owners.length;
    const expected = nodes.length === 0 ? 0 : partitionsFor(settings.vnodesPerNode, settings.maxNodes);
    if (partitions !== expected) throw new MalformedRingError(`${partitions} partitions where the settings give ${expected}`);
    if (nodes.length > settings.maxNodes) throw new MalformedRingError(`${nodes.length} nodes exceed maxNodes ${settings.maxNodes}`);
    if (owners.some((owner) => owner >= nodes.length)) throw new MalformedRingError('a partition names a node index out of range');
    if (countPartitions(owners, nodes.length).some((count) => count === 0)) throw new MalformedRingError('a node owns no partition');
    return new HashRing(settings, nodes, owners.slice());
  }

  /** Node ids in join order. */
  get nodes(): readonly string[] {
    return this.#nodes;
  }

  get size(): number {
    return this.#nodes.length;
  }

  /** Q, the number of partitions (0 for the empty ring). */
  get partitionCount(): number {
    return this.#owners.length;
  }

  has(nodeId: string): boolean {
    return this.#indexById.has(nodeId);
  }

  /** Owner index of every partition (a copy), for storage. */
  ownerTable(): Uint16Array {
    return this.#owners.slice();
  }

  /** The ring after `nodeId` joins: it claims its share from the most loaded nodes, nothing else moves. */
  withNode(nodeId: string): HashRing {
    assertNodeId(nodeId);
    if (this.has(nodeId)) throw new DuplicateNodeError(nodeId);
    const { vnodesPerNode, maxNodes, distinctWindow, seed } = this.settings;
    if (this.size >= maxNodes) throw new RingFullError(this.size, `the ring was sized for at most ${maxNodes} nodes`);
    if (this.size === 0) return new HashRing(this.settings, [nodeId], new Uint16Array(partitionsFor(vnodesPerNode, maxNodes)));
    const claimed = claimPartitions(this.#owners, this.size, nodeScoreSeed(nodeId, seed), distinctWindow);
    return new HashRing(this.settings, [...this.#nodes, nodeId], claimed);
  }

  /** The ring after `nodeId` leaves: only its partitions move, each to a least loaded node. */
  withoutNode(nodeId: string): HashRing {
    const leaving = this.#indexOf(nodeId);
    if (this.size === 1) return HashRing.empty(this.settings);
    const owners = releasePartitions(this.#owners, this.#scoreSeeds, leaving, this.settings.distinctWindow);
    return new HashRing(
      this.settings,
      this.#nodes.filter((id) => id !== nodeId),
      owners,
    );
  }

  /** Partition holding a ring position. */
  partitionOfHash(hash: bigint): number {
    this.#assertNotEmpty();
    return Number(BigInt.asUintN(64, hash) >> this.#shift);
  }

  partitionOfKey(key: string | Uint8Array): number {
    return this.partitionOfHash(hashKey(key));
  }

  /** The slice of hash space of partition `partition`. */
  partitionRange(partition: number): HashRange {
    this.#assertPartition(partition);
    return { start: BigInt(partition) << this.#shift, end: BigInt(partition + 1) << this.#shift };
  }

  ownerOf(partition: number): string {
    this.#assertPartition(partition);
    return this.#nodes[this.#owners[partition] ?? 0] ?? '';
  }

  /** The first min(n, size) distinct owners clockwise from `partition`. */
  replicasOfPartition(partition: number, n: number): string[] {
    this.#assertPartition(partition);
    return this.#walk(partition, assertReplicaCount(n)).map((index) => this.#nodes[index] ?? '');
  }

  /** The n nodes that hold `key` (all nodes when fewer than n), coordinator candidates first. */
  preferenceList(key: string | Uint8Array, n: number): string[] {
    return this.replicasOfPartition(this.partitionOfKey(key), n);
  }

  /**
   * Nodes to write hints to when some of the preference list is down: the next distinct nodes
   * clockwise after the first n, at most `limit` of them (default: all the others).
   */
  fallbacks(key: string | Uint8Array, n: number, limit = MAX_RING_NODES): string[] {
    assertReplicaCount(n);
    if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidReplicaCountError(limit);
    const partition = this.partitionOfKey(key);
    return this.#walk(partition, Math.min(n + limit, this.size))
      .slice(n)
      .map((index) => this.#nodes[index] ?? '');
  }

  /**
   * The ranges `nodeId` holds among the first n replicas (n = 1: the ranges it is primary for),
   * adjacent partitions merged, in ring order.
   */
  ownedRanges(nodeId: string, n = 1): HashRange[] {
    const node = this.#indexOf(nodeId);
    assertReplicaCount(n);
    const ranges: HashRange[] = [];
    for (let partition = 0; partition < this.partitionCount; partition++) {
      if (!this.#holds(partition, node, n)) continue;
      const range = this.partitionRange(partition);
      const last = ranges[ranges.length - 1];
      if (last !== undefined && last.end === range.start) ranges[ranges.length - 1] = { start: last.start, end: range.end };
      else ranges.push(range);
    }
    return ranges;
  }

  /** Fraction of the hash space `nodeId` holds among the first n replicas. */
  ownership(nodeId: string, n = 1): number {
    const node = this.#indexOf(nodeId);
    assertReplicaCount(n);
    let held = 0;
    for (let partition = 0; partition < this.partitionCount; partition++) if (this.#holds(partition, node, n)) held++;
    return held / this.partitionCount;
  }

  /** Every node's ownership(node, n) in one pass over the partitions. */
  ownershipShares(n = 1): Map<string, number> {
    assertReplicaCount(n);
    const held = new Array<number>(this.size).fill(0);
    for (let partition = 0; partition < this.partitionCount; partition++) {
      for (const node of this.#walk(partition, n)) held[node] = (held[node] ?? 0) + 1;
    }
    return new Map(this.#nodes.map((id, index) => [id, (held[index] ?? 0) / this.partitionCount]));
  }

  #holds(partition: number, node: number, n: number): boolean {
    return n === 1 ? this.#owners[partition] === node : this.#walk(partition, n).includes(node);
  }

  /** Distinct owner indices clockwise from `start`, at most `count` (and at most size). */
  #walk(start: number, count: number): number[] {
    const wanted = Math.min(count, this.size);
    const found: number[] = [];
    const seen = new Uint8Array(this.size);
    const mask = this.partitionCount - 1;
    for (let step = 0; step < this.partitionCount && found.length < wanted; step++) {
      const owner = this.#owners[(start + step) & mask] ?? 0;
      if (seen[owner] === 1) continue;
      seen[owner] = 1;
      found.push(owner);
    }
    return found;
  }

  #indexOf(nodeId: string): number {
    const index = this.#indexById.get(nodeId);
    if (index === undefined) throw new UnknownNodeError(nodeId);
    return index;
  }

  #assertNotEmpty(): void {
    if (this.size === 0) throw new EmptyRingError();
  }

  #assertPartition(partition: number): void {
    this.#assertNotEmpty();
    if (!Number.isInteger(partition) || partition < 0 || partition >= this.partitionCount) {
      throw new InvalidPartitionError(partition, this.partitionCount);
    }
  }
}
