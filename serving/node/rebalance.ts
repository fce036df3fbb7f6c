/**
 * Streaming ranges to nodes that joined. When the ring in coord changes, every node diffs the
 * old ring against the new one (diffRings) and, for each range it held whose replica set gained
 * nodes, pushes its copies of the range's keys (tombstones included) to each gaining node with
 * PeerOp.Put. Every former replica pushes, so a range arrives even if one of them is down; the
 * duplicates merge away. A push that fails is logged and left to anti-entropy, which would
 * converge the range anyway, only much more slowly.
 *
 * Ring changes are handled one at a time, in the order they are seen.
 */
import type { Logger } from 'pino';
import { diffRings, type HashRing, type RangeMove } from '../ring/index.js';
import { forEachBounded } from '../../core/async/bounded-concurrency.js';
import type { ClusterIO } from './cluster-io.js';
import type { LocalReplica } from './local-replica.js';
import { encodePut } from './peer-messages.js';
import { PeerOp } from './peer-rpc.js';

/** Puts in flight at once while streaming ranges. */
export const REBALANCE_CONCURRENCY = 16;
/** How long a joined node may take to register as live before its ranges are left to anti-entropy. */
export const REBALANCE_WAIT_FOR_NODE_MS = 10_000;
/** Progress is logged every this many keys sent. */
export const REBALANCE_PROGRESS_EVERY_KEYS = 10_000;

export interface RebalanceStats {
  /** Ring changes handled. */
  ringChanges: number;
  keysSent: number;
  failedPuts: number;
}

interface Transfer {
  partition: number;
  to: string;
}

export class Rebalancer {
  readonly stats: RebalanceStats = { ringChanges: 0, keysSent: 0, failedPuts: 0 };
  private ring: HashRing;
  private queue: Promise<void> = Promise.resolve();
  private stopListening: (() => void) | undefined;
  private stopped = false;
  private signalStop!: () => void;
  private readonly stopping = new Promise<boolean>((resolve) => (this.signalStop = () => resolve(false)));

  constructor(
    private readonly io: ClusterIO,
    private readonly local: LocalReplica,
    private readonly n: number,
    private readonly logger: Logger,
  ) {
    this.ring = io.membership.snapshot.ring;
  }

  start(): void {
    this.stopListening = this.io.membership.onChange(({ ring }) => {
      if (sameRing(this.ring, ring)) return;
      const before = this.ring;
      this.ring = ring;
      this.queue = this.queue.then(() => this.rebalance(before, ring));
    });
  }

  /** Resolves once every ring change seen so far is handled. */
  idle(): Promise<void> {
    return this.queue;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.signalStop();
    this.stopListening?.();
    await this.queue;
  }

  private async rebalance(before: HashRing, after: HashRing): Promise<void> {
    const transfers = this.transfersFor(diffRings(before, after, this.n));
    this.stats.ringChanges++;
    if (transfers.length === 0) return;
    this.logger.info({ partitions: new Set(transfers.map((t) => t.partition)).size, nodes: [...new Set(transfers.map((t) => t.to))] }, 'streaming ranges to joined nodes');
    const sentBefore = this.stats.keysSent;
    const failedBefore = this.stats.failedPuts;
    for (const { partition, to } of transfers) {
      if (this.stopped) return;
      // The ring can name a joining node a moment before its registration (endpoint) is seen.
      const live = this.io.membership.waitFor((snapshot) => snapshot.live.has(to), REBALANCE_WAIT_FOR_NODE_MS);
      if (!(await Promise.race([live, this.stopping]))) continue;
      await forEachBounded(this.local.keysInPartition(partition), REBALANCE_CONCURRENCY, (key) => this.send(to, key));
    }
    this.logger.info({ keysSent: this.stats.keysSent - sentBefore, failedPuts: this.stats.failedPuts - failedBefore }, 'ranges streamed');
  }

  /** (partition, gaining node) pairs for the moved ranges this node held before. */
  private transfersFor(moves: readonly RangeMove[]): Transfer[] {
    const transfers: Transfer[] = [];
    for (const move of moves) {
      if (!move.from.includes(this.io.nodeId)) continue;
      const first = this.ring.partitionOfHash(move.range.start);
      const last = this.ring.partitionOfHash(move.range.end - 1n);
      for (let partition = first; partition <= last; partition++) {
        for (const to of move.gained) if (to !== this.io.nodeId) transfers.push({ partition, to });
      }
    }
    return transfers;
  }

  private async send(to: string, key: Buffer): Promise<void> {
    if (this.stopped) return;
    const copy = await this.local.read(key);
    if (copy === undefined) return;
    try {
      await this.io.call(to, PeerOp.Put, key, encodePut(copy));
      this.stats.keysSent++;
      if (this.stats.keysSent % REBALANCE_PROGRESS_EVERY_KEYS === 0) this.logger.info({ keysSent: this.stats.keysSent, to }, 'streaming ranges');
    } catch (error) {
      this.stats.failedPuts++;
      this.logger.debug({ err: error, to }, 'range push failed; anti-entropy will repair it');
    }
  }
}

function sameRing(a: HashRing, b: HashRing): boolean {
  if (a === b) return true;
  if (a.nodes.length !== b.nodes.length || a.nodes.some((node, i) => node !== b.nodes[i])) return false;
  const ownersA = a.ownerTable();
  const ownersB = b.ownerTable();
  return ownersA.length === ownersB.length && ownersA.every((owner, i) => owner === ownersB[i]);
}
