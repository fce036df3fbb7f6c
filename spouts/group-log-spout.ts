/**
 * Reads Barista log topics as a member of a Kafka consumer group (Storm's KafkaSpout with
 * group-managed assignment), on a kafkajs consumer: every task of the spout is one member, and
 * the group coordinator balances the topics' partitions over them.
 *
 * Guarantees (at-least-once): every record is emitted with message id {topic, partition, offset}.
 * A partition's committed offset (consumer.commitOffsets, kept by the group coordinator) only
 * moves to the offset below which every emitted record is fully acked (OffsetTracker), so
 * whichever member reads the partition next — after a restart or a rebalance — re-reads exactly
 * the records not known to be processed. A failed record is emitted again from the values kept
 * for it (a seek would re-deliver every later record too); values are kept only while a record is
 * pending, so they are bounded by `maxPendingPerPartition`.
 *
 * Bounded buffering: eachBatch (auto-resolve off) accepts records of a partition only while its
 * buffered plus pending records stay under `maxPendingPerPartition`; it resolves the accepted
 * ones and pauses the partition at the limit, so kafkajs fetches the rest again after resume.
 *
 * Rebalances: on every GROUP_JOIN the partitions no longer assigned are dropped (their buffer,
 * pending offsets and kept values; late acks and fails of them are ignored) and never committed
 * again; their new owner starts at the committed offset. Partitions kept across the rebalance
 * keep their state, and records kafkajs delivers again below what was already accepted are skipped.
 */
import { Kafka, logLevel, type Consumer, type EachBatchPayload, type KafkaMessage } from 'kafkajs';
import type { ResolvedConfig } from '../core/topology/api/config.js';
import type { TopologyContext } from '../core/topology/api/context.js';
import { InvalidConfigError } from '../core/topology/api/errors.js';
import { BaseRichSpout, type SpoutOutputCollector } from '../core/topology/api/spout.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { checkIntegerOption } from './errors.js';
import * as limits from './limits.js';
import { OffsetTracker } from './offset-tracker.js';
import { kafkajsLogCreator } from '../core/telemetry/kafkajs-logger.js';
import { monotonicNowMs } from '../core/clock/monotonic-clock.js';

/** An idle nextTuple waits at most this long for eachBatch to bring records, so it never blocks a stop. */
export const GROUP_SPOUT_IDLE_WAIT_MS = 50;
export const DEFAULT_GROUP_SESSION_TIMEOUT_MS = 10_000;
export const DEFAULT_GROUP_HEARTBEAT_INTERVAL_MS = 500;

export interface GroupLogSpoutOptions {
  /** Bootstrap brokers, "host:port". */
  readonly brokers: readonly string[];
  readonly topics: readonly string[];
  readonly groupId: string;
  /** Where a partition without a committed offset starts; default 'earliest'. */
  readonly startFrom?: 'earliest' | 'latest';
  /** Default ['topic', 'partition', 'offset', 'key', 'value']. */
  readonly fields?: readonly string[];
  /** Record → values; default [topic, partition, offset, key as UTF-8 or null, value as UTF-8 or null]. */
  readonly toValues?: (message: KafkaMessage, topic: string, partition: number) => readonly unknown[];
  /** How often committable offsets are committed (also on close); default 1000. */
  readonly commitIntervalMs?: number;
  /** Records buffered plus emitted-and-not-committable per partition; at the limit it pauses. Default 10 000. */
  readonly maxPendingPerPartition?: number;
  /** Default 64. */
  readonly emitsPerCall?: number;
  /** Broker long-poll when nothing is new; default 100. */
  readonly fetchMaxWaitMs?: number;
  readonly sessionTimeoutMs?: number;
  readonly heartbeatIntervalMs?: number;
  readonly clientId?: string;
}

export interface GroupLogMessageId {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
}

/** What the tasks of one spout did, shared by them (a class instance); for tests and figures. */
export class GroupLogSpoutStats {
  emitted = 0;
  /** Emits of a failed record again (also counted in `emitted`). */
  replayed = 0;
  acked = 0;
  failed = 0;
  /** Latest assignment of each task (task id → "topic:partition" keys). */
  readonly assignments = new Map<number, readonly string[]>();
  /** Rebalances seen, summed over the tasks. */
  joins = 0;
  /** Most records one partition held at once (buffered plus pending): never above maxPendingPerPartition. */
  maxHeldPerPartition = 0;
}

interface PartitionState {
  readonly topic: string;
  readonly partition: number;
  /** Starts at the first accepted record's offset. */
  tracker: OffsetTracker | undefined;
  /** Accepted from eachBatch, not yet emitted: offsets with their values. */
  readonly buffer: { offset: number; values: readonly unknown[] }[];
  /** Values of emitted records not yet acked, kept for replay. */
  readonly unacked: Map<number, readonly unknown[]>;
  /** Failed offsets to emit again, in fail order. */
  failed: number[];
  /** Last offset committed by this task (-1: none). */
  committed: number;
  paused: boolean;
}

interface Membership {
  readonly collector: SpoutOutputCollector;
  readonly consumer: Consumer;
  readonly taskId: number;
  /** "topic:partition" → state, for the partitions of the latest assignment only. */
  readonly partitions: Map<string, PartitionState>;
  /** Round robin over partitions when emitting. */
  cursor: number;
  /** Monotonic clock: a stepped wall clock must not hold back (or hurry) the next commit. */
  committedAtMs: number;
  commitInFlight: Promise<void> | undefined;
  /** Resolves an idle nextTuple waiting for records. */
  wake: (() => void) | undefined;
}

const keyOf = (topic: string, partition: number): string => `${topic}:${partition}`;

function defaultValues(message: KafkaMessage, topic: string, partition: number): readonly unknown[] {
  return [topic, partition, Number(message.offset), message.key?.toString('utf8') ?? null, message.value?.toString('utf8') ?? null];
}

export class GroupLogSpout extends BaseRichSpout<GroupLogMessageId> {
  /** A class instance: shared by the task copies. */
  readonly stats: GroupLogSpoutStats;
  private membership: Membership | undefined;

  constructor(
    private readonly options: GroupLogSpoutOptions,
    stats: GroupLogSpoutStats = new GroupLogSpoutStats(),
  ) {
    super();
    if (!Array.isArray(options.brokers) || options.brokers.length === 0) throw new InvalidConfigError('GroupLogSpout.brokers', options.brokers, 'a non-empty list of "host:port"');
    if (!Array.isArray(options.topics) || options.topics.length === 0 || options.topics.some((topic) => typeof topic !== 'string' || topic.length === 0)) throw new InvalidConfigError('GroupLogSpout.topics', options.topics, 'a non-empty list of topic names');
    if (typeof options.groupId !== 'string' || options.groupId.length === 0) throw new InvalidConfigError('GroupLogSpout.groupId', options.groupId, 'a group id');
    if (options.startFrom !== undefined && options.startFrom !== 'earliest' && options.startFrom !== 'latest') throw new InvalidConfigError('GroupLogSpout.startFrom', options.startFrom, "'earliest' or 'latest'");
    checkIntegerOption('GroupLogSpout.commitIntervalMs', options.commitIntervalMs, limits.MIN_CHECKPOINT_INTERVAL_MS, limits.MAX_CHECKPOINT_INTERVAL_MS);
    checkIntegerOption('GroupLogSpout.maxPendingPerPartition', options.maxPendingPerPartition, 1, limits.MAX_PENDING_OFFSETS);
    checkIntegerOption('GroupLogSpout.emitsPerCall', options.emitsPerCall, 1, limits.MAX_EMITS_PER_NEXT_TUPLE);
    checkIntegerOption('GroupLogSpout.fetchMaxWaitMs', options.fetchMaxWaitMs, 0, limits.MAX_FETCH_MAX_WAIT_MS);
    this.stats = stats;
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(this.options.fields ?? ['topic', 'partition', 'offset', 'key', 'value']);
  }

  /** "topic:partition" keys of this task's latest assignment (after open and a join). */
  get assignedPartitions(): readonly string[] {
    return [...(this.membership?.partitions.keys() ?? [])];
  }

  async open(_config: ResolvedConfig, context: TopologyContext, collector: SpoutOutputCollector): Promise<void> {
    const kafka = new Kafka({
      clientId: this.options.clientId ?? 'barista-group-log-spout',
      brokers: [...this.options.brokers],
      logLevel: logLevel.WARN,
      logCreator: kafkajsLogCreator(context.logger),
    });
    const consumer = kafka.consumer({
      groupId: this.options.groupId,
      sessionTimeout: this.options.sessionTimeoutMs ?? DEFAULT_GROUP_SESSION_TIMEOUT_MS,
      heartbeatInterval: this.options.heartbeatIntervalMs ?? DEFAULT_GROUP_HEARTBEAT_INTERVAL_MS,
      maxWaitTimeInMs: this.options.fetchMaxWaitMs ?? limits.DEFAULT_FETCH_MAX_WAIT_MS,
      maxBytesPerPartition: limits.DEFAULT_FETCH_MAX_BYTES,
    });
    const membership: Membership = { collector, consumer, taskId: context.taskId, partitions: new Map(), cursor: 0, committedAtMs: monotonicNowMs(), commitInFlight: undefined, wake: undefined };
    this.membership = membership;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => this.onJoin(membership, payload.memberAssignment));
    await consumer.connect();
    await consumer.subscribe({ topics: [...this.options.topics], fromBeginning: (this.options.startFrom ?? 'earliest') === 'earliest' });
    // Not awaited: run() resolves only after the first join, and the runtime opens tasks one by one;
    // joining in the background lets every task join the group's first generation together.
    consumer.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: async (payload) => this.onBatch(membership, payload) }).catch((error: unknown) => collector.reportError(error));
  }

  async nextTuple(): Promise<void> {
    const membership = this.membership;
    if (membership === undefined) return;
    const limit = this.options.emitsPerCall ?? limits.DEFAULT_EMITS_PER_NEXT_TUPLE;
    let emits = this.emitAvailable(membership, limit);
    if (emits === 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, GROUP_SPOUT_IDLE_WAIT_MS);
        membership.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      membership.wake = undefined;
      emits = this.emitAvailable(membership, limit);
    }
    this.resumeDrained(membership);
    if (membership.commitInFlight === undefined && monotonicNowMs() - membership.committedAtMs >= (this.options.commitIntervalMs ?? limits.DEFAULT_CHECKPOINT_INTERVAL_MS)) {
      // Not awaited: a commit during a rebalance may wait on kafkajs retries; emitting goes on.
      membership.commitInFlight = this.commit().finally(() => (membership.commitInFlight = undefined));
    }
  }

  override ack(id: GroupLogMessageId): void {
    const state = this.membership?.partitions.get(keyOf(id.topic, id.partition));
    if (state?.tracker?.acked(id.partition, id.offset) !== true) return; // revoked, stale or duplicate
    state.unacked.delete(id.offset);
    this.stats.acked += 1;
  }

  override fail(id: GroupLogMessageId): void {
    const state = this.membership?.partitions.get(keyOf(id.topic, id.partition));
    if (state?.tracker?.isUnacked(id.partition, id.offset) !== true || !state.unacked.has(id.offset)) return;
    state.failed.push(id.offset);
    this.stats.failed += 1;
  }

  /** Commits every assigned partition's committable offset that moved (nextTuple does so every commitIntervalMs). */
  async commit(): Promise<void> {
    const membership = this.membership;
    if (membership === undefined) return;
    membership.committedAtMs = monotonicNowMs();
    const moved = [...membership.partitions.values()].flatMap((state) => {
      const committable = state.tracker?.committable(state.partition);
      return committable === undefined || committable <= state.committed ? [] : [{ state, committable }];
    });
    if (moved.length === 0) return;
    try {
      await membership.consumer.commitOffsets(moved.map(({ state, committable }) => ({ topic: state.topic, partition: state.partition, offset: String(committable) })));
      for (const { state, committable } of moved) state.committed = Math.max(state.committed, committable);
    } catch (error) {
      membership.collector.reportError(error); // a rebalance under way: the next commit (or the new owner's reads) covers it
    }
  }

  override async close(): Promise<void> {
    const membership = this.membership;
    if (membership === undefined) return;
    await membership.commitInFlight;
    await this.commit();
    this.membership = undefined;
    membership.wake?.();
    await membership.consumer.disconnect();
  }

  /** A new generation: keep the partitions still ours, drop the revoked ones, start the new ones empty. */
  private onJoin(membership: Membership, assignment: Record<string, number[] | undefined>): void {
    const assigned = new Set(Object.entries(assignment).flatMap(([topic, partitions]) => (partitions ?? []).map((partition) => keyOf(topic, partition))));
    for (const [key, state] of membership.partitions) {
      if (assigned.has(key)) continue;
      membership.partitions.delete(key);
      // kafkajs keeps a pause across rebalances: a partition coming back must not stay paused.
      if (state.paused) membership.consumer.resume([{ topic: state.topic, partitions: [state.partition] }]);
    }
    for (const key of assigned) {
      if (membership.partitions.has(key)) continue;
      const separator = key.lastIndexOf(':');
      const state: PartitionState = { topic: key.slice(0, separator), partition: Number(key.slice(separator + 1)), tracker: undefined, buffer: [], unacked: new Map(), failed: [], committed: -1, paused: false };
      membership.partitions.set(key, state);
    }
    this.stats.joins += 1;
    this.stats.assignments.set(membership.taskId, [...assigned].sort());
  }

  /** Accepts records while the partition has room; resolves what it accepted and pauses at the limit. */
  private onBatch(membership: Membership, { batch, resolveOffset }: EachBatchPayload): void {
    const state = membership.partitions.get(keyOf(batch.topic, batch.partition));
    if (state === undefined || this.membership !== membership) return; // not ours (a stale batch): not resolved
    const toValues = this.options.toValues ?? defaultValues;
    for (const message of batch.messages) {
      const offset = Number(message.offset);
      const tracker = (state.tracker ??= new OffsetTracker(this.maxPending));
      if (tracker.assigned.length === 0) tracker.assign(state.partition, offset);
      const accepted = state.buffer.at(-1)?.offset ?? tracker.position(state.partition) - 1;
      if (offset <= accepted) {
        resolveOffset(message.offset); // delivered again after a rebalance: already accepted
        continue;
      }
      if (this.isFull(state)) {
        state.paused = true;
        membership.consumer.pause([{ topic: state.topic, partitions: [state.partition] }]);
        break; // the rest is not resolved: fetched again after resume
      }
      this.stats.maxHeldPerPartition = Math.max(this.stats.maxHeldPerPartition, state.buffer.length + tracker.pendingCount(state.partition) + 1);
      try {
        state.buffer.push({ offset, values: toValues(message, state.topic, state.partition) });
      } catch (error) {
        membership.collector.reportError(error); // cannot become a tuple: skipped, so it does not hold commits back
        tracker.emitted(state.partition, offset);
        tracker.acked(state.partition, offset);
      }
      resolveOffset(message.offset);
    }
    membership.wake?.();
  }

  private get maxPending(): number {
    return this.options.maxPendingPerPartition ?? limits.DEFAULT_MAX_PENDING_OFFSETS;
  }

  private isFull(state: PartitionState): boolean {
    return state.buffer.length + (state.tracker?.pendingCount(state.partition) ?? 0) >= this.maxPending;
  }

  /** Replays first, then buffered records, round robin over partitions. */
  private emitAvailable(membership: Membership, limit: number): number {
    const states = [...membership.partitions.values()];
    let emits = 0;
    let idle = 0;
    while (emits < limit && idle < states.length) {
      const state = states[membership.cursor % states.length]!;
      membership.cursor = (membership.cursor + 1) % states.length;
      if (this.emitOne(membership, state)) {
        emits += 1;
        idle = 0;
      } else {
        idle += 1;
      }
    }
    return emits;
  }

  private emitOne(membership: Membership, state: PartitionState): boolean {
    const tracker = state.tracker;
    if (tracker === undefined) return false;
    const id = (offset: number): GroupLogMessageId => ({ topic: state.topic, partition: state.partition, offset });
    for (let offset = state.failed.shift(); offset !== undefined; offset = state.failed.shift()) {
      const values = state.unacked.get(offset);
      if (values === undefined || !tracker.isUnacked(state.partition, offset)) continue;
      membership.collector.emit(values, id(offset));
      this.stats.emitted += 1;
      this.stats.replayed += 1;
      return true;
    }
    const record = state.buffer.shift();
    if (record === undefined) return false;
    tracker.emitted(state.partition, record.offset);
    state.unacked.set(record.offset, record.values);
    membership.collector.emit(record.values, id(record.offset));
    this.stats.emitted += 1;
    return true;
  }

  /** Resumes paused partitions once acks made room again. */
  private resumeDrained(membership: Membership): void {
    for (const state of membership.partitions.values()) {
      if (!state.paused || this.isFull(state)) continue;
      state.paused = false;
      membership.consumer.resume([{ topic: state.topic, partitions: [state.partition] }]);
    }
  }
}
