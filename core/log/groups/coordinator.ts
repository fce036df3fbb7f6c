/**
 * The group coordinator's I/O around the pure Group state machine: which `__consumer_offsets`
 * partition holds a group, loading a partition's groups and offsets when this broker becomes its
 * leader (and dropping them when it stops), parking JoinGroup/SyncGroup requests until the state
 * machine answers them, one timer per group for its next deadline, and storing group metadata
 * and committed offsets in the partition's log.
 *
 * A broker coordinates exactly the groups whose partition it leads; every other request gets
 * NOT_COORDINATOR and the client asks FindCoordinator again.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ErrorCode } from '../protocol/errors.js';
import type { PartitionReplica } from '../replication/partition-replica.js';
import type { ReplicaManager } from '../replication/replica-manager.js';
import { Group, type GroupEffects, type GroupOptions } from './group.js';
import {
  DEFAULT_INITIAL_REBALANCE_DELAY_MS,
  DEFAULT_MAX_SESSION_TIMEOUT_MS,
  DEFAULT_MIN_SESSION_TIMEOUT_MS,
  MAX_MEMBERS_PER_GROUP,
  OFFSETS_TOPIC,
  OFFSETS_TOPIC_PARTITIONS,
} from './limits.js';
import type { JoinGroupInput, JoinReply, SyncReply } from './member.js';
import { partitionForGroup, type CommittedOffset, type OffsetsRecord } from './offsets-format.js';
import { OffsetsPartition, type AppendTarget } from './offsets-partition.js';
import { monotonicNowMs } from '../../clock/monotonic-clock.js';

export interface GroupCoordinatorOptions {
  /** Partitions of `__consumer_offsets` (default OFFSETS_TOPIC_PARTITIONS). */
  offsetsTopicPartitions?: number;
  minSessionTimeoutMs?: number;
  maxSessionTimeoutMs?: number;
  initialRebalanceDelayMs?: number;
}

/** What the coordinator needs of the broker (read through getters: a rejoin replaces them). */
export interface CoordinatorHost extends AppendTarget {
  /** This broker's replica of an offsets partition, whatever its role. */
  replica(partition: number): PartitionReplica | undefined;
  /** Resolves once the latest cluster change is applied to the replicas. */
  settled(): Promise<void>;
  logger: Logger;
}

export interface CommitEntry {
  topic: string;
  partition: number;
  value: CommittedOffset;
}

/** How often leadership of offsets partitions is re-checked (loads also happen on demand). */
const REFRESH_INTERVAL_MS = 500;

export class GroupCoordinator {
  readonly partitions: number;
  private readonly groupOptions: GroupOptions;
  private readonly loaded = new Map<number, OffsetsPartition>();
  private readonly loading = new Map<number, Promise<OffsetsPartition>>();
  private readonly timers = new Map<Group, NodeJS.Timeout>();
  private readonly parked = new Map<number, (reply: JoinReply | SyncReply) => void>();
  private nextToken = 0;
  private readonly refreshTimer: NodeJS.Timeout;

  constructor(
    private readonly host: CoordinatorHost,
    options: GroupCoordinatorOptions = {},
  ) {
    this.partitions = options.offsetsTopicPartitions ?? OFFSETS_TOPIC_PARTITIONS;
    this.groupOptions = {
      minSessionTimeoutMs: options.minSessionTimeoutMs ?? DEFAULT_MIN_SESSION_TIMEOUT_MS,
      maxSessionTimeoutMs: options.maxSessionTimeoutMs ?? DEFAULT_MAX_SESSION_TIMEOUT_MS,
      initialRebalanceDelayMs: options.initialRebalanceDelayMs ?? DEFAULT_INITIAL_REBALANCE_DELAY_MS,
      maxMembers: MAX_MEMBERS_PER_GROUP,
      newMemberId: (clientId) => `${clientId}-${randomUUID()}`,
    };
    this.refreshTimer = setInterval(() => void this.refresh(), REFRESH_INTERVAL_MS);
    this.refreshTimer.unref();
  }

  /** A coordinator over a broker's replica manager (read through `replicas()`: a rejoin replaces it). */
  static overReplicas(replicas: () => ReplicaManager, logger: Logger, options: GroupCoordinatorOptions = {}): GroupCoordinator {
    const host: CoordinatorHost = {
      replica: (partition) => replicas().replica(OFFSETS_TOPIC, partition),
      settled: () => replicas().settled(),
      get minInsyncReplicas() {
        return replicas().minInsyncReplicas;
      },
      afterLeaderAppend: (replica) => replicas().afterLeaderAppend(replica),
      logger,
    };
    return new GroupCoordinator(host, options);
  }

  partitionFor(groupId: string): number {
    return partitionForGroup(groupId, this.partitions);
  }

  /** Loads partitions this broker now leads and drops those it no longer leads. */
  async refresh(): Promise<void> {
    for (const [partition, state] of this.loaded) if (!state.current) this.unload(partition);
    for (let partition = 0; partition < this.partitions; partition++) {
      if (this.host.replica(partition)?.role === 'leader') await this.partitionState(partition).catch(() => undefined);
    }
  }

  private unload(partition: number): void {
    const state = this.loaded.get(partition);
    if (!state) return;
    this.loaded.delete(partition);
    for (const group of state.groups.values()) {
      clearTimeout(this.timers.get(group));
      this.timers.delete(group);
      this.deliver(group.unload());
    }
    this.host.logger.info({ partition }, 'group coordinator unloaded __consumer_offsets partition');
  }

  /** The loaded state of a partition this broker leads, or the error code to answer. */
  private async partitionState(partition: number): Promise<OffsetsPartition | number> {
    let replica = this.host.replica(partition);
    if (replica?.role !== 'leader') {
      await this.host.settled();
      replica = this.host.replica(partition);
    }
    if (replica?.role !== 'leader') return ErrorCode.NOT_COORDINATOR;
    const existing = this.loaded.get(partition);
    if (existing?.current) return existing;
    if (existing) this.unload(partition);
    let loading = this.loading.get(partition);
    if (!loading) {
      loading = OffsetsPartition.load(replica, this.groupOptions, monotonicNowMs(), this.host.logger).finally(() => this.loading.delete(partition));
      this.loading.set(partition, loading);
    }
    try {
      const state = await loading;
      if (!state.current) return ErrorCode.NOT_COORDINATOR;
      if (!this.loaded.has(partition)) {
        this.loaded.set(partition, state);
        for (const group of state.groups.values()) this.schedule(state, group);
      }
      return this.loaded.get(partition) as OffsetsPartition;
    } catch (error) {
      this.host.logger.error({ err: error, partition }, 'loading __consumer_offsets partition failed');
      return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    }
  }

  private async groupState(groupId: string, create: boolean): Promise<{ state: OffsetsPartition; group: Group | undefined } | number> {
    const state = await this.partitionState(this.partitionFor(groupId));
    if (typeof state === 'number') return state;
    let group = state.groups.get(groupId);
    if (!group && create) {
      group = new Group(groupId, this.groupOptions);
      state.groups.set(groupId, group);
    }
    return { state, group };
  }

  /** Resolves parked requests, stores metadata if asked, and re-arms the group's timer. */
  private apply(state: OffsetsPartition, group: Group, effects: GroupEffects): void {
    this.deliver(effects);
    if (effects.store) {
      void state.append([{ kind: 'group', groupId: group.groupId, value: group.snapshot() }], this.host, Date.now()).then((errorCode) => {
        if (errorCode !== ErrorCode.NONE) this.host.logger.warn({ group: group.groupId, errorCode }, 'storing group metadata failed');
      });
    }
    this.schedule(state, group);
  }

  private deliver(effects: GroupEffects): void {
    for (const { token, reply } of [...effects.joins, ...effects.syncs]) {
      const resolve = this.parked.get(token);
      this.parked.delete(token);
      resolve?.(reply);
    }
  }

  private schedule(state: OffsetsPartition, group: Group): void {
    clearTimeout(this.timers.get(group));
    this.timers.delete(group);
    const deadlineMs = group.nextDeadlineMs();
    if (deadlineMs === null) return;
    const timer = setTimeout(() => {
      this.timers.delete(group);
      if (this.loaded.get(state.partition) === state) this.apply(state, group, group.tick(monotonicNowMs()));
    }, Math.max(0, deadlineMs - monotonicNowMs()));
    timer.unref();
    this.timers.set(group, timer);
  }

  private park<R extends JoinReply | SyncReply>(call: (token: number) => GroupEffects, state: OffsetsPartition, group: Group): Promise<R> {
    const token = ++this.nextToken;
    const reply = new Promise<R>((resolve) => this.parked.set(token, resolve as (reply: JoinReply | SyncReply) => void));
    this.apply(state, group, call(token));
    return reply;
  }

  async join(groupId: string, input: JoinGroupInput): Promise<JoinReply> {
    const found = await this.groupState(groupId, true);
    if (typeof found === 'number') return { errorCode: found, generationId: -1, protocolName: '', leader: '', memberId: input.memberId, members: [] };
    const group = found.group as Group;
    return this.park<JoinReply>((token) => group.join(input, token, monotonicNowMs()), found.state, group);
  }

  async sync(groupId: string, memberId: string, generationId: number, assignments: { memberId: string; assignment: Buffer }[]): Promise<SyncReply> {
    const found = await this.groupState(groupId, false);
    if (typeof found === 'number') return { errorCode: found, assignment: Buffer.alloc(0) };
    const group = found.group;
    if (!group) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) };
    return this.park<SyncReply>((token) => group.sync(memberId, generationId, assignments, token, monotonicNowMs()), found.state, group);
  }

  async heartbeat(groupId: string, memberId: string, generationId: number): Promise<number> {
    const found = await this.groupState(groupId, false);
    if (typeof found === 'number') return found;
    if (!found.group) return ErrorCode.UNKNOWN_MEMBER_ID;
    const errorCode = found.group.heartbeat(memberId, generationId, monotonicNowMs());
    this.schedule(found.state, found.group);
    return errorCode;
  }

  async leave(groupId: string, memberIds: readonly string[]): Promise<{ errorCode: number; members: number[] }> {
    const found = await this.groupState(groupId, false);
    if (typeof found === 'number') return { errorCode: found, members: memberIds.map(() => found) };
    const { state, group } = found;
    if (!group) return { errorCode: ErrorCode.UNKNOWN_MEMBER_ID, members: memberIds.map(() => ErrorCode.UNKNOWN_MEMBER_ID) };
    const members = memberIds.map((memberId) => {
      const { errorCode, effects } = group.leave(memberId, monotonicNowMs());
      this.apply(state, group, effects);
      return errorCode;
    });
    // A batch (v3+) succeeds as a whole; per-member errors say which ids were unknown.
    return { errorCode: memberIds.length === 1 ? (members[0] as number) : ErrorCode.NONE, members };
  }

  /** Checks the member's generation, then stores every offset in one batch: one error code for all. */
  async commit(groupId: string, memberId: string, generationId: number, entries: readonly CommitEntry[]): Promise<number> {
    const found = await this.groupState(groupId, generationId < 0);
    if (typeof found === 'number') return found;
    const { state, group } = found;
    if (!group) return ErrorCode.UNKNOWN_MEMBER_ID;
    const errorCode = group.checkCommit(memberId, generationId, monotonicNowMs());
    this.schedule(state, group);
    if (errorCode !== ErrorCode.NONE || entries.length === 0) return errorCode;
    const records: OffsetsRecord[] = entries.map((entry) => ({ kind: 'offset', groupId, topic: entry.topic, partition: entry.partition, value: entry.value }));
    const stored = await state.append(records, this.host, Date.now());
    if (stored === ErrorCode.NONE) for (const entry of entries) state.setOffset(groupId, entry.topic, entry.partition, entry.value);
    return stored;
  }

  /** The group's committed offsets (all of them when `wanted` is null), or an error code. */
  async committed(groupId: string): Promise<ReadonlyMap<string, CommittedOffset> | number> {
    const state = await this.partitionState(this.partitionFor(groupId));
    if (typeof state === 'number') return state;
    return state.offsets.get(groupId) ?? new Map();
  }

  /** Groups this broker coordinates (ListGroups is asked of every broker). */
  listGroups(): Group[] {
    return [...this.loaded.values()].flatMap((state) => [...state.groups.values()]);
  }

  async describe(groupId: string): Promise<Group | undefined | number> {
    const found = await this.groupState(groupId, false);
    return typeof found === 'number' ? found : found.group;
  }

  /** DeleteGroups: an empty group's metadata and committed offsets go (tombstones); a group with members is NON_EMPTY_GROUP. */
  async deleteGroup(groupId: string): Promise<number> {
    const state = await this.partitionState(this.partitionFor(groupId));
    if (typeof state === 'number') return state;
    const group = state.groups.get(groupId);
    const offsets = state.offsets.get(groupId) ?? new Map<string, CommittedOffset>();
    if (group === undefined && offsets.size === 0) return ErrorCode.GROUP_ID_NOT_FOUND;
    if (group !== undefined && group.state !== 'Empty' && group.state !== 'Dead') return ErrorCode.NON_EMPTY_GROUP;
    const keys = [...offsets.keys()].map((key) => key.split('\u0000'));
    const records: OffsetsRecord[] = [{ kind: 'group', groupId, value: null }, ...keys.map(([topic, partition]): OffsetsRecord => ({ kind: 'offset', groupId, topic: topic ?? '', partition: Number(partition), value: null }))];
    const stored = await state.append(records, this.host, Date.now());
    if (stored !== ErrorCode.NONE) return stored;
    if (group !== undefined) {
      clearTimeout(this.timers.get(group));
      this.timers.delete(group);
      state.groups.delete(groupId);
    }
    for (const [topic, partition] of keys) state.setOffset(groupId, topic ?? '', Number(partition), null);
    return ErrorCode.NONE;
  }

  close(): void {
    clearInterval(this.refreshTimer);
    for (const partition of [...this.loaded.keys()]) this.unload(partition);
  }
}
