/**
 * What the coordinator holds for one `__consumer_offsets` partition it leads: the groups hashed
 * to it and their committed offsets, rebuilt from the partition's log when the leadership
 * arrives (the whole log is replayed: later records win, null values delete), and written back
 * through the same log, appended as leader and replicated like any produce with acks=all.
 */
import type { Logger } from 'pino';
import { decodeBatchRecords } from '../records/record-decoder.js';
import { encodeRecordBatch } from '../records/record-batch-encoder.js';
import { ErrorCode } from '../protocol/errors.js';
import type { PartitionReplica } from '../replication/partition-replica.js';
import { iterateBatches, LogStorageError } from '../storage/index.js';
import { Group, type GroupOptions, type GroupSnapshot } from './group.js';
import { COMMIT_REPLICATION_TIMEOUT_MS } from './limits.js';
import { decodeOffsetsRecord, encodeOffsetsRecord, type CommittedOffset, type OffsetsRecord } from './offsets-format.js';

const LOAD_CHUNK_BYTES = 1024 * 1024;

export const offsetKey = (topic: string, partition: number) => `${topic}\u0000${partition}`;

export interface AppendTarget {
  /** Kafka's min.insync.replicas for the acks=all append. */
  minInsyncReplicas: number;
  /** Called after each leader append (high watermark, waiting fetches). */
  afterLeaderAppend(replica: PartitionReplica): void;
}

export class OffsetsPartition {
  readonly groups = new Map<string, Group>();
  /** groupId → offsetKey(topic, partition) → the latest commit. */
  readonly offsets = new Map<string, Map<string, CommittedOffset>>();
  private appending: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly partition: number,
    readonly replica: PartitionReplica,
    readonly leaderEpoch: number,
  ) {}

  /** Replays the partition's log (as leader: up to its end) into groups and offsets. */
  static async load(replica: PartitionReplica, groupOptions: GroupOptions, nowMs: number, logger: Logger): Promise<OffsetsPartition> {
    const loaded = new OffsetsPartition(replica.partition, replica, replica.leaderEpoch);
    const snapshots = new Map<string, GroupSnapshot>();
    const { log } = replica;
    const end = log.logEndOffset;
    let skipped = 0;
    for (let offset = log.logStartOffset; offset < end; ) {
      const buffers = await log.readBuffers(offset, LOAD_CHUNK_BYTES, end);
      if (buffers.length === 0) break;
      for (const buffer of buffers) {
        for (const { position, header } of iterateBatches(buffer)) {
          // Anything unreadable (a client may produce to the topic) is skipped, never fatal:
          // a partition that cannot load would leave its groups without a coordinator.
          try {
            for (const record of decodeBatchRecords(buffer.subarray(position, position + header.sizeBytes))) {
              try {
                loaded.apply(decodeOffsetsRecord(record.key, record.value), snapshots);
              } catch {
                skipped += 1;
              }
            }
          } catch {
            skipped += header.recordsCount;
          }
          offset = header.lastOffset + 1;
        }
      }
    }
    for (const snapshot of snapshots.values()) loaded.groups.set(snapshot.groupId, Group.restore(snapshot, groupOptions, nowMs));
    logger.info({ partition: replica.partition, leaderEpoch: replica.leaderEpoch, groups: loaded.groups.size, offsets: [...loaded.offsets.values()].reduce((sum, map) => sum + map.size, 0), skipped }, 'group coordinator loaded __consumer_offsets partition');
    return loaded;
  }

  private apply(record: OffsetsRecord, snapshots: Map<string, GroupSnapshot>): void {
    if (record.kind === 'group') {
      if (record.value === null) snapshots.delete(record.groupId);
      else snapshots.set(record.groupId, record.value);
      return;
    }
    this.setOffset(record.groupId, record.topic, record.partition, record.value);
  }

  setOffset(groupId: string, topic: string, partition: number, value: CommittedOffset | null): void {
    const committed = this.offsets.get(groupId) ?? new Map<string, CommittedOffset>();
    if (value === null) committed.delete(offsetKey(topic, partition));
    else committed.set(offsetKey(topic, partition), value);
    if (committed.size > 0) this.offsets.set(groupId, committed);
    else this.offsets.delete(groupId);
  }

  /** Whether this broker still leads the partition in the epoch it loaded. */
  get current(): boolean {
    return this.replica.role === 'leader' && this.replica.leaderEpoch === this.leaderEpoch;
  }

  /**
   * Appends records in call order and waits until min.insync.replicas have them: NONE, or the
   * error a group API answers (Kafka maps log errors to coordinator errors so clients look again).
   */
  append(records: readonly OffsetsRecord[], target: AppendTarget, nowMs: number): Promise<number> {
    const result = this.appending.then(() => this.appendNow(records, target, nowMs));
    this.appending = result.catch(() => undefined);
    return result;
  }

  private async appendNow(records: readonly OffsetsRecord[], target: AppendTarget, nowMs: number): Promise<number> {
    if (!this.current) return ErrorCode.NOT_COORDINATOR;
    const batch = encodeRecordBatch(records.map(encodeOffsetsRecord), nowMs);
    try {
      const appended = await this.replica.log.append(batch, this.leaderEpoch);
      if (!this.current) return ErrorCode.NOT_COORDINATOR;
      target.afterLeaderAppend(this.replica);
      const errorCode = await this.replica.awaitReplication(appended.lastOffset + 1, target.minInsyncReplicas, COMMIT_REPLICATION_TIMEOUT_MS);
      if (errorCode === ErrorCode.NONE) return ErrorCode.NONE;
      return errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER ? ErrorCode.NOT_COORDINATOR : ErrorCode.COORDINATOR_NOT_AVAILABLE;
    } catch (error) {
      if (error instanceof LogStorageError) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
      throw error;
    }
  }
}
