/**
 * Turns the cluster view into this broker's replica roles and keeps them working:
 * - for every partition assigned here it opens the log and takes the role coord names (leader,
 *   follower of some broker, or offline), once per leader epoch;
 * - followers are fetched for by one ReplicaFetcher per leader broker;
 * - leaders check their ISR every half replica.lag.time.max.ms and after follower fetches, and
 *   write changes to coord with a conditional setData on the state version they hold: if the
 *   controller (or a newer leader) wrote first, the write fails and the newer state wins;
 * - topics gone from coord lose their local logs.
 * Produce and Fetch handlers come here for the role checks and the replication bookkeeping.
 */
import type { Logger } from 'pino';
import type { CoordClient } from '../../coord/client/coord-client.js';
import { ZooKeeperError } from '../../coord/client/errors.js';
import { ErrorCode as CoordErrorCode } from '../../coord/zookeeper-constants.js';
import type { ClusterSnapshot, ClusterView, VersionedState } from '../controller/cluster-view.js';
import { encodePartitionState, partitionStatePath } from '../controller/partition-state.js';
import type { TopicStore } from '../broker/topic-store.js';
import { PartitionReplica } from './partition-replica.js';
import { ReplicaFetcher } from './replica-fetcher.js';
import type { InterBrokerCredential } from '../security/config.js';
import { monotonicNowMs } from '../../clock/monotonic-clock.js';

export interface ReplicationOptions {
  /** Kafka's replica.lag.time.max.ms (default 30 s). */
  replicaLagTimeMaxMs?: number;
  /** Kafka's min.insync.replicas for acks=all (default 1). */
  minInsyncReplicas?: number;
  /** With broker security on: the user replica fetchers authenticate to leaders as. */
  interBrokerSasl?: InterBrokerCredential;
}

export const DEFAULT_REPLICA_LAG_TIME_MAX_MS = 30_000;

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class ReplicaManager {
  private readonly replicas = new Map<string, PartitionReplica>();
  private readonly fetchers = new Map<number, ReplicaFetcher>();
  private applying: Promise<void> = Promise.resolve();
  private isrTimer: NodeJS.Timeout | undefined;
  private stopListening: (() => void) | undefined;
  private closed = false;
  readonly lagTimeMaxMs: number;
  readonly minInsyncReplicas: number;

  constructor(
    private readonly nodeId: number,
    private readonly topics: TopicStore,
    private readonly view: ClusterView,
    private readonly client: CoordClient,
    private readonly logger: Logger,
    private readonly options: ReplicationOptions = {},
  ) {
    this.lagTimeMaxMs = options.replicaLagTimeMaxMs ?? DEFAULT_REPLICA_LAG_TIME_MAX_MS;
    this.minInsyncReplicas = options.minInsyncReplicas ?? 1;
  }

  async start(): Promise<void> {
    this.stopListening = this.view.onChange((snapshot) => void this.apply(snapshot));
    await this.apply(this.view.snapshot);
    this.isrTimer = setInterval(() => this.checkIsrs(), Math.max(10, this.lagTimeMaxMs / 2));
    this.isrTimer.unref();
  }

  replica(topic: string, partition: number): PartitionReplica | undefined {
    return this.replicas.get(key(topic, partition));
  }

  /** After a leader append: the high watermark may move (one-member ISR); long polls wake. */
  afterLeaderAppend(replica: PartitionReplica): void {
    if (replica.tracker?.onAppend(replica.log.logEndOffset)) replica.completeWaiters();
    this.topics.notifyAppend();
  }

  /** A follower fetched from `fetchOffset`: its progress may move the high watermark and the ISR. */
  onFollowerFetch(replica: PartitionReplica, followerId: number, fetchOffset: number): void {
    const tracker = replica.tracker;
    if (!tracker) return;
    if (tracker.onFollowerFetch(followerId, fetchOffset, monotonicNowMs())) {
      replica.completeWaiters();
      this.topics.notifyAppend();
    }
    if (!tracker.isr.includes(followerId)) void this.maybeChangeIsr(replica);
  }

  /** Resolves once every cluster change heard so far is applied (logs opened or removed). */
  async settled(): Promise<void> {
    await this.applying;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.stopListening?.();
    clearInterval(this.isrTimer);
    await this.applying.catch(() => undefined);
    for (const replica of this.replicas.values()) replica.becomeFollower(-1, replica.leaderEpoch, replica.replicas);
    await Promise.all([...this.fetchers.values()].map((fetcher) => fetcher.close()));
    this.fetchers.clear();
  }

  /** Applies snapshots one at a time, in order. */
  private apply(snapshot: ClusterSnapshot): Promise<void> {
    this.applying = this.applying
      .then(() => (this.closed ? undefined : this.applySnapshot(snapshot)))
      .catch((error: unknown) => this.logger.error({ err: error }, 'applying the cluster state failed'));
    return this.applying;
  }

  private async applySnapshot(snapshot: ClusterSnapshot): Promise<void> {
    for (const [topic, { assignment, states }] of snapshot.topics) {
      for (const [partition, replicas] of assignment.entries()) {
        if (!replicas.includes(this.nodeId)) continue;
        let replica = this.replica(topic, partition);
        if (!replica) {
          replica = new PartitionReplica(topic, partition, await this.topics.ensurePartition(topic, partition));
          this.replicas.set(key(topic, partition), replica);
        }
        const state = states.get(partition);
        if (state) await this.applyState(replica, state, replicas, snapshot);
      }
    }
    for (const name of this.topics.names()) {
      if (snapshot.topics.has(name)) continue;
      for (const [id, replica] of this.replicas) {
        if (replica.topic !== name) continue;
        replica.stepDown();
        this.unfollow(replica);
        this.replicas.delete(id);
      }
      await this.topics.delete(name);
      this.logger.info({ topic: name }, 'topic deleted: local logs removed');
    }
    this.stopIdleFetchers();
  }

  private async applyState(replica: PartitionReplica, { state, version, mzxid }: VersionedState, replicas: readonly number[], snapshot: ClusterSnapshot): Promise<void> {
    if (version < replica.stateVersion) return;
    const sameEpoch = state.leaderEpoch === replica.leaderEpoch;
    replica.stateVersion = version;
    replica.controllerEpoch = state.controllerEpoch;
    // Leadership decided before this broker registered belonged to its previous life, whose log
    // may have ended later than ours does now (a torn tail): leading on it would make followers
    // truncate acknowledged records. Wait, serving nothing, for the controller's new decision.
    // As sole ISR member its log is the partition's log, torn or not: nothing to wait for.
    const ownEpoch = snapshot.brokerEpochs.get(this.nodeId);
    const othersInSync = state.isr.some((id) => id !== this.nodeId);
    if (state.leader === this.nodeId && othersInSync && (ownEpoch === undefined || ownEpoch > mzxid)) {
      this.unfollow(replica);
      if (replica.leaderEpoch !== state.leaderEpoch || replica.role !== 'offline') {
        replica.becomeFollower(-1, state.leaderEpoch, replicas);
        this.logger.info({ topic: replica.topic, partition: replica.partition, leaderEpoch: state.leaderEpoch }, 'not leading on a leadership from before this broker registered; waiting for the controller');
      }
      return;
    }
    if (state.leader === this.nodeId) {
      if (sameEpoch && replica.role === 'leader') {
        if (replica.tracker?.setIsr(state.isr)) replica.completeWaiters();
        return;
      }
      this.unfollow(replica);
      await replica.log.assignLeaderEpoch(state.leaderEpoch);
      replica.becomeLeader(this.nodeId, state.leaderEpoch, state.isr, replicas, monotonicNowMs());
      replica.completeWaiters();
      this.logger.info({ topic: replica.topic, partition: replica.partition, leaderEpoch: state.leaderEpoch, isr: state.isr, logEndOffset: replica.log.logEndOffset }, 'leading partition');
      this.topics.notifyAppend();
      return;
    }
    const endpoint = snapshot.brokers.get(state.leader);
    if (sameEpoch && replica.role === 'follower' && this.fetchers.get(state.leader)?.follows(replica.topic, replica.partition)) return;
    if (!sameEpoch || replica.role === 'leader') {
      replica.becomeFollower(state.leader, state.leaderEpoch, replicas);
      this.logger.info({ topic: replica.topic, partition: replica.partition, leader: state.leader, leaderEpoch: state.leaderEpoch }, state.leader < 0 ? 'partition offline' : 'following partition');
    }
    this.unfollow(replica);
    if (state.leader < 0 || endpoint === undefined) return; // wait for the leader to (re)appear
    let fetcher = this.fetchers.get(state.leader);
    if (fetcher && (fetcher.endpoint.host !== endpoint.host || fetcher.endpoint.port !== endpoint.port)) {
      await fetcher.close();
      this.fetchers.delete(state.leader);
      fetcher = undefined;
    }
    if (!fetcher) {
      fetcher = new ReplicaFetcher(state.leader, endpoint, this.nodeId, this.logger, () => undefined, this.options.interBrokerSasl);
      this.fetchers.set(state.leader, fetcher);
    }
    fetcher.follow(replica);
  }

  private unfollow(replica: PartitionReplica): void {
    for (const fetcher of this.fetchers.values()) fetcher.unfollow(replica.topic, replica.partition);
  }

  private stopIdleFetchers(): void {
    for (const [leader, fetcher] of this.fetchers) {
      if (fetcher.size > 0) continue;
      this.fetchers.delete(leader);
      void fetcher.close();
    }
  }

  private checkIsrs(): void {
    for (const replica of this.replicas.values()) if (replica.role === 'leader') void this.maybeChangeIsr(replica);
  }

  /** Proposes the ISR change the tracker wants, as a conditional write on the state we hold. */
  private async maybeChangeIsr(replica: PartitionReplica): Promise<void> {
    const tracker = replica.tracker;
    if (!tracker || replica.isrWriteInFlight || this.closed) return;
    const change = tracker.proposeIsrChange(monotonicNowMs(), this.lagTimeMaxMs);
    if (!change) return;
    replica.isrWriteInFlight = true;
    const { leaderEpoch, stateVersion } = replica;
    const previousIsr = [...tracker.isr];
    const next = { leader: this.nodeId, leaderEpoch, isr: change.isr, controllerEpoch: replica.controllerEpoch };
    try {
      const stat = await this.client.setData(partitionStatePath(replica.topic, replica.partition), encodePartitionState(next), stateVersion);
      if (replica.tracker === tracker && replica.leaderEpoch === leaderEpoch) {
        replica.stateVersion = stat.version;
        if (tracker.setIsr(change.isr)) replica.completeWaiters();
        this.topics.notifyAppend();
        this.logger.info({ topic: replica.topic, partition: replica.partition, from: previousIsr, isr: change.isr }, 'ISR changed');
      }
    } catch (error) {
      if (error instanceof ZooKeeperError && error.code === CoordErrorCode.BADVERSION) {
        // Someone newer (the controller) wrote first: its state decides; we will hear of it.
        await this.view.refresh().catch(() => undefined);
      } else {
        this.logger.warn({ err: error, topic: replica.topic, partition: replica.partition }, 'ISR update failed; will retry');
      }
    } finally {
      replica.isrWriteInFlight = false;
    }
  }
}
