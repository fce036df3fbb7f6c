/**
 * Follows one leader broker: for every partition this broker follows there, first truncates
 * the local log to where it agrees with the leader (OffsetForLeaderEpoch, KIP-101/279: the end
 * of the last epoch both logs share), then fetches with the Fetch API as replica `nodeId`,
 * appending what arrives with the leader's offsets and epochs. The fetch offset it sends is
 * its log end, which is how the leader learns how far it got.
 *
 * A partition whose leader answers with an epoch or leadership error sits out until coord
 * tells this broker something new (the replica manager re-adds it); connection failures back
 * off and retry, since the controller will move leadership if the leader is really gone.
 */
import type { Logger } from 'pino';
import { KafkaConnection, type KafkaEndpoint } from '../client/kafka-connection.js';
import type { InterBrokerCredential } from '../security/config.js';
import { ApiKey, ErrorCode, errorName, type FetchPartitionResponse } from '../protocol/index.js';
import type { PartitionReplica } from './partition-replica.js';
import { monotonicNowMs } from '../../clock/monotonic-clock.js';

const FETCH_VERSION = 11;
const OFFSET_FOR_LEADER_EPOCH_VERSION = 3;
/** Kafka's replica.fetch.wait.max.ms and replica.fetch.max.bytes defaults. */
export const REPLICA_FETCH_WAIT_MAX_MS = 500;
export const REPLICA_FETCH_MAX_BYTES = 1024 * 1024;
const REPLICA_FETCH_RESPONSE_MAX_BYTES = 10 * 1024 * 1024;
/** Kafka's replica.fetch.backoff.ms. */
const FETCH_BACKOFF_MS = 1_000;
/**
 * The leader has not heard of its new role or epoch yet (coord told us first): that resolves
 * in milliseconds, and every acks=all produce waits on us meanwhile.
 */
const PROPAGATION_BACKOFF_MS = 20;
const PROPAGATION_ERRORS: ReadonlySet<number> = new Set([ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.UNKNOWN_LEADER_EPOCH, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]);
const REQUEST_TIMEOUT_MS = 30_000;

interface Followed {
  replica: PartitionReplica;
  leaderEpoch: number;
  truncated: boolean;
  pausedUntilMs: number;
}

const key = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export class ReplicaFetcher {
  private readonly followed = new Map<string, Followed>();
  private readonly connection: KafkaConnection;
  private running = true;
  private wake: (() => void) | undefined;
  private readonly loop: Promise<void>;

  constructor(
    readonly leaderId: number,
    readonly endpoint: KafkaEndpoint,
    private readonly nodeId: number,
    private readonly logger: Logger,
    private readonly onProgress: () => void,
    sasl?: InterBrokerCredential,
  ) {
    this.connection = new KafkaConnection(endpoint, `barista-replica-fetcher-${nodeId}`, { requestTimeoutMs: REQUEST_TIMEOUT_MS, ...(sasl !== undefined ? { sasl } : {}) });
    this.loop = this.run();
  }

  get size(): number {
    return this.followed.size;
  }

  /** Starts (or restarts, under a new epoch) following a partition from this leader. */
  follow(replica: PartitionReplica): void {
    const current = this.followed.get(key(replica.topic, replica.partition));
    if (current && current.leaderEpoch === replica.leaderEpoch && current.replica === replica) return;
    this.followed.set(key(replica.topic, replica.partition), { replica, leaderEpoch: replica.leaderEpoch, truncated: false, pausedUntilMs: 0 });
    this.wake?.();
  }

  unfollow(topic: string, partition: number): void {
    this.followed.delete(key(topic, partition));
  }

  follows(topic: string, partition: number): boolean {
    return this.followed.has(key(topic, partition));
  }

  async close(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.connection.close();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      const now = monotonicNowMs();
      const ready = [...this.followed.values()].filter((f) => f.pausedUntilMs <= now);
      if (ready.length === 0) {
        const nextMs = Math.min(...[...this.followed.values()].map((f) => f.pausedUntilMs));
        await this.sleep(this.followed.size === 0 ? 60_000 : Math.max(1, nextMs - now));
        continue;
      }
      try {
        const untruncated = ready.filter((f) => !f.truncated);
        if (untruncated.length > 0) await this.truncate(untruncated);
        await this.fetch(ready.filter((f) => f.truncated));
      } catch (error) {
        if (!this.running) return;
        this.logger.debug({ err: error, leader: this.leaderId }, 'replica fetch failed; backing off');
        await this.sleep(FETCH_BACKOFF_MS);
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.wake = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  private pause(followed: Followed, errorCode: number): void {
    const reason = errorName(errorCode) ?? `error ${errorCode}`;
    followed.pausedUntilMs = monotonicNowMs() + (PROPAGATION_ERRORS.has(errorCode) ? PROPAGATION_BACKOFF_MS : FETCH_BACKOFF_MS);
    this.logger.debug({ topic: followed.replica.topic, partition: followed.replica.partition, leader: this.leaderId, reason }, 'replica fetch paused');
  }

  /** Truncates each partition to the end of the last epoch it shares with the leader. */
  private async truncate(partitions: Followed[]): Promise<void> {
    const byTopic = groupByTopic(partitions);
    const response = await this.connection.request(ApiKey.OffsetForLeaderEpoch, OFFSET_FOR_LEADER_EPOCH_VERSION, {
      replicaId: this.nodeId,
      topics: [...byTopic].map(([topic, list]) => ({
        topic,
        partitions: list.map((f) => ({ partition: f.replica.partition, currentLeaderEpoch: f.leaderEpoch, leaderEpoch: f.replica.log.latestEpoch })),
      })),
    });
    for (const topic of response.topics) {
      for (const answer of topic.partitions) {
        const followed = this.followed.get(key(topic.topic, answer.partition));
        if (!followed || !this.running) continue;
        if (answer.errorCode !== ErrorCode.NONE) {
          this.pause(followed, answer.errorCode);
          continue;
        }
        const log = followed.replica.log;
        // The leader knows no epoch we have (or we have none): keep only what the leader acknowledged to us.
        let target = answer.leaderEpoch < 0 || answer.endOffset < 0 ? followed.replica.highWatermark : Number(answer.endOffset);
        if (answer.leaderEpoch >= 0 && answer.leaderEpoch < log.latestEpoch) target = Math.min(target, log.endOffsetForEpoch(answer.leaderEpoch).endOffset);
        if (target < log.logEndOffset) {
          this.logger.info({ topic: topic.topic, partition: answer.partition, from: log.logEndOffset, to: target, leaderEpoch: answer.leaderEpoch }, 'truncating divergent follower log');
          await log.truncateTo(target);
        }
        followed.truncated = true;
      }
    }
  }

  private async fetch(partitions: Followed[]): Promise<void> {
    if (partitions.length === 0) return;
    const byTopic = groupByTopic(partitions);
    const response = await this.connection.request(ApiKey.Fetch, FETCH_VERSION, {
      replicaId: this.nodeId,
      maxWaitMs: REPLICA_FETCH_WAIT_MAX_MS,
      minBytes: 1,
      maxBytes: REPLICA_FETCH_RESPONSE_MAX_BYTES,
      isolationLevel: 0,
      sessionId: 0,
      sessionEpoch: -1,
      topics: [...byTopic].map(([name, list]) => ({
        name,
        partitions: list.map((f) => ({ partitionIndex: f.replica.partition, currentLeaderEpoch: f.leaderEpoch, fetchOffset: BigInt(f.replica.log.logEndOffset), logStartOffset: BigInt(f.replica.log.logStartOffset), partitionMaxBytes: REPLICA_FETCH_MAX_BYTES })),
      })),
      forgottenTopics: [],
      rackId: '',
    });
    let progressed = false;
    for (const topic of response.topics) {
      for (const answer of topic.partitions) {
        const followed = this.followed.get(key(topic.name, answer.partitionIndex));
        if (!followed || !this.running) continue;
        if (await this.applyFetched(followed, answer)) progressed = true;
      }
    }
    if (progressed) this.onProgress();
  }

  private async applyFetched(followed: Followed, answer: FetchPartitionResponse): Promise<boolean> {
    const { replica } = followed;
    if (answer.errorCode === ErrorCode.OFFSET_OUT_OF_RANGE) {
      if (replica.log.logEndOffset < Number(answer.logStartOffset)) {
        // Retention on the leader removed what we still need: this replica cannot catch up.
        this.logger.error({ topic: replica.topic, partition: replica.partition, logEndOffset: replica.log.logEndOffset, leaderLogStartOffset: answer.logStartOffset }, 'follower fell behind the leader\'s retention; it stays out of the ISR until its log directory is removed');
        this.pause(followed, ErrorCode.OFFSET_OUT_OF_RANGE);
        return false;
      }
      followed.truncated = false;
      return false;
    }
    if (answer.errorCode !== ErrorCode.NONE) {
      this.pause(followed, answer.errorCode);
      return false;
    }
    const chunks = answer.records === null ? [] : Buffer.isBuffer(answer.records) ? [answer.records] : [...answer.records];
    const records = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    if (records.length > 0) await replica.log.appendAsFollower(records);
    replica.setLeaderHighWatermark(Number(answer.highWatermark));
    return records.length > 0;
  }
}

function groupByTopic(partitions: Followed[]): Map<string, Followed[]> {
  const byTopic = new Map<string, Followed[]>();
  for (const f of partitions) byTopic.set(f.replica.topic, [...(byTopic.get(f.replica.topic) ?? []), f]);
  return byTopic;
}
