/**
 * Anti-entropy (Dynamo §4.7): a background loop that makes the replicas of each partition agree
 * on every key, whatever writes, hints or read repairs they missed. Each tick takes the next
 * partition this node replicates (round-robin), builds its Merkle tree (PartitionDigests), and
 * asks every other live replica of the partition for its leaf hashes (PeerOp.MerkleLeaves: one
 * message; an empty answer when the roots already match). For the leaves that differ it fetches
 * the peer's keys and digests (PeerOp.MerkleLeafKeys) and copies each key that differs both ways:
 * ours to the peer with PeerOp.Put, theirs here with PeerOp.Get and a local write. Writes merge,
 * so the replicas converge whatever order or however often this runs.
 *
 * Work per tick is bounded (one partition, MAX_LEAVES_PER_EXCHANGE leaves and
 * MAX_KEYS_REPAIRED_PER_EXCHANGE keys per peer); what is left waits for the partition's next turn.
 */
import type { Logger } from 'pino';
import { compareLevel, decodeMerkleLevel } from '../anti-entropy/index.js';
import { forEachBounded } from '../../core/async/bounded-concurrency.js';
import { decodeKeyDigests, encodeLeafList, encodePartition, MAX_LEAVES_PER_EXCHANGE } from './anti-entropy-messages.js';
import type { ClusterIO } from './cluster-io.js';
import type { LocalReplica } from './local-replica.js';
import { PartitionDigests, type KeyDigest } from './partition-digests.js';
import { decodeOptionalValue, encodePut } from './peer-messages.js';
import { PeerOp } from './peer-rpc.js';

/** Default time between two ticks. */
export const ANTI_ENTROPY_INTERVAL_MS = 5_000;
/**
 * Partitions one tick syncs (in turn, SYNC_NOW_CONCURRENCY at once): with the default 4096
 * partitions and 3 of 5 nodes holding each, a node's full sweep takes about 6 minutes.
 */
export const PARTITIONS_PER_TICK = 64;
/** Keys copied (either way) with one peer in one exchange. */
export const MAX_KEYS_REPAIRED_PER_EXCHANGE = 1_000;
/** Key copies in flight at once during an exchange. */
export const REPAIR_CONCURRENCY = 8;
/** Partitions synced at once by syncNow. */
export const SYNC_NOW_CONCURRENCY = 8;

export interface AntiEntropyStats {
  /** Partition exchanges completed (one per partition synced with its live replicas). */
  rounds: number;
  /** Keys copied to a peer or from a peer. */
  keysRepaired: number;
  /** Exchanges with a peer that failed (the partition is retried on its next turn). */
  failedExchanges: number;
}

export interface AntiEntropyOptions {
  io: ClusterIO;
  local: LocalReplica;
  /** Replicas per key, as the keyspace uses. */
  n: number;
  intervalMs?: number;
  logger: Logger;
}

interface RepairPlan {
  push: Buffer[];
  pull: Buffer[];
}

export class AntiEntropy {
  readonly stats: AntiEntropyStats = { rounds: 0, keysRepaired: 0, failedExchanges: 0 };
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private cursor = 0;
  private stopped = false;

  constructor(private readonly options: AntiEntropyOptions) {}

  start(): void {
    const intervalMs = this.options.intervalMs ?? ANTI_ENTROPY_INTERVAL_MS;
    this.timer = setInterval(() => this.tick(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking;
  }

  /** Syncs every partition this node replicates with the other live replicas now. */
  async syncNow(): Promise<void> {
    const partitions = this.replicatedPartitions();
    await forEachBounded(partitions, SYNC_NOW_CONCURRENCY, async (partition) => {
      await this.syncPartition(partition);
    });
  }

  /** Syncs one partition with its other live replicas; resolves with the keys copied. */
  async syncPartition(partition: number): Promise<number> {
    const { io, local, n, logger } = this.options;
    const ring = io.membership.snapshot.ring;
    const replicas = ring.replicasOfPartition(partition, n);
    if (!replicas.includes(io.nodeId)) return 0;
    // One tree for all peers: what we pull from the first may be pushed back needlessly to the
    // second, which costs a merge there and saves rebuilding the tree.
    const ours = await PartitionDigests.build(local, ring, partition);
    let repaired = 0;
    for (const peer of replicas) {
      if (peer === io.nodeId || !io.isUp(peer) || this.stopped) continue;
      try {
        repaired += await this.exchange(peer, ours);
      } catch (error) {
        this.stats.failedExchanges++;
        logger.debug({ err: error, peer, partition }, 'anti-entropy exchange failed');
      }
    }
    this.stats.rounds++;
    this.stats.keysRepaired += repaired;
    if (repaired > 0) logger.info({ partition, repaired }, 'anti-entropy repaired keys');
    return repaired;
  }

  private tick(): void {
    if (this.ticking || this.stopped) return;
    const partitions: number[] = [];
    for (let i = 0; i < PARTITIONS_PER_TICK; i++) {
      const partition = this.nextPartition();
      if (partition === undefined || partitions.includes(partition)) break;
      partitions.push(partition);
    }
    if (partitions.length === 0) return;
    this.ticking = forEachBounded(partitions, SYNC_NOW_CONCURRENCY, async (partition) => {
      await this.syncPartition(partition);
    })
      .catch((error: unknown) => this.options.logger.warn({ err: error, partitions: partitions.length }, 'anti-entropy round failed'))
      .finally(() => (this.ticking = undefined));
  }

  /** The next partition after the cursor that this node replicates (undefined when there is none). */
  private nextPartition(): number | undefined {
    const ring = this.options.io.membership.snapshot.ring;
    for (let step = 0; step < ring.partitionCount; step++) {
      const partition = (this.cursor + step) % ring.partitionCount;
      if (ring.replicasOfPartition(partition, this.options.n).includes(this.options.io.nodeId)) {
        this.cursor = partition + 1;
        return partition;
      }
    }
    return undefined;
  }

  private replicatedPartitions(): number[] {
    const ring = this.options.io.membership.snapshot.ring;
    return Array.from({ length: ring.partitionCount }, (_, p) => p).filter((p) => ring.replicasOfPartition(p, this.options.n).includes(this.options.io.nodeId));
  }

  /** Compares our tree with `peer`'s and copies the keys of differing leaves both ways. */
  private async exchange(peer: string, ours: PartitionDigests): Promise<number> {
    const { io } = this.options;
    const partitionKey = encodePartition(ours.partition);
    const leaves = await io.call(peer, PeerOp.MerkleLeaves, partitionKey, ours.tree.rootHash());
    if (leaves.length === 0) return 0;
    const differing = compareLevel(ours.tree, decodeMerkleLevel(leaves)).slice(0, MAX_LEAVES_PER_EXCHANGE);
    if (differing.length === 0) return 0;
    const theirs = decodeKeyDigests(await io.call(peer, PeerOp.MerkleLeafKeys, partitionKey, encodeLeafList(differing)));
    const plan = planRepair(ours.keysInLeaves(differing), theirs);
    await forEachBounded(plan.push, REPAIR_CONCURRENCY, (key) => this.push(peer, key));
    await forEachBounded(plan.pull, REPAIR_CONCURRENCY, (key) => this.pull(peer, key));
    return plan.push.length + plan.pull.length;
  }

  private async push(peer: string, key: Buffer): Promise<void> {
    const copy = await this.options.local.read(key);
    if (copy !== undefined) await this.options.io.call(peer, PeerOp.Put, key, encodePut(copy));
  }

  private async pull(peer: string, key: Buffer): Promise<void> {
    const copy = decodeOptionalValue(await this.options.io.call(peer, PeerOp.Get, key));
    if (copy !== undefined) await this.options.local.write(key, copy);
  }
}

/** Keys whose digests differ or that one side lacks: ours go to the peer, theirs come here. */
export function planRepair(ours: readonly KeyDigest[], theirs: readonly KeyDigest[]): RepairPlan {
  const theirDigests = new Map(theirs.map(({ key, digest }) => [key.toString('latin1'), digest]));
  const ourDigests = new Map(ours.map(({ key, digest }) => [key.toString('latin1'), digest]));
  const push = ours.filter(({ key, digest }) => !theirDigests.get(key.toString('latin1'))?.equals(digest)).map(({ key }) => key);
  const pull = theirs.filter(({ key, digest }) => !ourDigests.get(key.toString('latin1'))?.equals(digest)).map(({ key }) => key);
  // Stay within the per-exchange budget, pulls and pushes alike.
  const budget = MAX_KEYS_REPAIRED_PER_EXCHANGE;
  return { push: push.slice(0, budget), pull: pull.slice(0, Math.max(0, budget - push.length)) };
}
