/**
 * The records of `__consumer_offsets`, in Kafka's own binary schemas (GroupCoordinatorRecord
 * formats), so Kafka's tools could read the topic:
 *   offset commit  key v1: int16 1, group, topic, int32 partition
 *                  value v3: int16 3, int64 offset, int32 leader_epoch, string metadata, int64 commit_timestamp
 *   group metadata key v2: int16 2, group
 *                  value v3: int16 3, protocol_type, int32 generation, nullable protocol, nullable leader,
 *                  int64 state_timestamp, [member_id, nullable instance_id, client_id, client_host,
 *                  int32 rebalance_timeout, int32 session_timeout, bytes subscription, bytes assignment]
 * A null value is a tombstone (the entry was deleted); compaction, a later slice, keeps the
 * latest record per key. Which partition holds a group: Kafka's `abs(groupId.hashCode) % n`.
 */
import { KafkaReader } from '../protocol/primitives/reader.js';
import { KafkaWriter } from '../protocol/primitives/writer.js';
import type { GroupSnapshot } from './group.js';

export interface CommittedOffset {
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
  commitTimestampMs: bigint;
}

export type OffsetsRecord =
  | { kind: 'offset'; groupId: string; topic: string; partition: number; value: CommittedOffset | null }
  | { kind: 'group'; groupId: string; value: GroupSnapshot | null };

const OFFSET_KEY_VERSION = 1;
const GROUP_KEY_VERSION = 2;
const OFFSET_VALUE_VERSION = 3;
const GROUP_VALUE_VERSION = 3;

/** Java's String.hashCode over UTF-16 code units, as Kafka hashes group ids. */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let index = 0; index < text.length; index++) hash = (Math.imul(hash, 31) + text.charCodeAt(index)) | 0;
  return hash;
}

/** The `__consumer_offsets` partition of a group (Kafka's Utils.abs(hashCode) % partitions). */
export function partitionForGroup(groupId: string, partitions: number): number {
  return (javaStringHash(groupId) & 0x7fffffff) % partitions;
}

export function encodeOffsetsRecord(record: OffsetsRecord): { key: Buffer; value: Buffer | null } {
  const key = new KafkaWriter();
  if (record.kind === 'offset') key.writeInt16(OFFSET_KEY_VERSION).writeString(record.groupId).writeString(record.topic).writeInt32(record.partition);
  else key.writeInt16(GROUP_KEY_VERSION).writeString(record.groupId);
  if (record.value === null) return { key: key.toBuffer(), value: null };
  const value = new KafkaWriter();
  if (record.kind === 'offset') {
    const { offset, leaderEpoch, metadata, commitTimestampMs } = record.value;
    value.writeInt16(OFFSET_VALUE_VERSION).writeInt64(offset).writeInt32(leaderEpoch).writeString(metadata).writeInt64(commitTimestampMs);
  } else {
    const group = record.value;
    value
      .writeInt16(GROUP_VALUE_VERSION)
      .writeString(group.protocolType ?? '')
      .writeInt32(group.generationId)
      .writeNullableString(group.protocolName)
      .writeNullableString(group.leaderId)
      .writeInt64(0n)
      .writeArray(group.members, (writer, member) => {
        writer
          .writeString(member.memberId)
          .writeNullableString(member.groupInstanceId)
          .writeString(member.clientId)
          .writeString(member.clientHost)
          .writeInt32(member.rebalanceTimeoutMs)
          .writeInt32(member.sessionTimeoutMs)
          .writeBytes(member.protocols.find((protocol) => protocol.name === group.protocolName)?.metadata ?? Buffer.alloc(0))
          .writeBytes(member.assignment);
      });
  }
  return { key: key.toBuffer(), value: value.toBuffer() };
}

export class OffsetsRecordError extends Error {
  constructor(readonly detail: string) {
    super(`unreadable __consumer_offsets record: ${detail}; it is skipped`);
    this.name = 'OffsetsRecordError';
  }
}

/** Decodes one record; throws OffsetsRecordError (or KafkaDecodeError) for bytes it cannot read. */
export function decodeOffsetsRecord(keyBytes: Buffer | null, valueBytes: Buffer | null): OffsetsRecord {
  if (keyBytes === null) throw new OffsetsRecordError('null key');
  const key = new KafkaReader(keyBytes);
  const keyVersion = key.readInt16();
  if (keyVersion === 0 || keyVersion === OFFSET_KEY_VERSION) {
    const groupId = key.readString();
    const topic = key.readString();
    const partition = key.readInt32();
    return { kind: 'offset', groupId, topic, partition, value: valueBytes === null ? null : decodeOffsetValue(new KafkaReader(valueBytes)) };
  }
  if (keyVersion !== GROUP_KEY_VERSION) throw new OffsetsRecordError(`key version ${keyVersion}`);
  const groupId = key.readString();
  return { kind: 'group', groupId, value: valueBytes === null ? null : decodeGroupValue(groupId, new KafkaReader(valueBytes)) };
}

function decodeOffsetValue(reader: KafkaReader): CommittedOffset {
  const version = reader.readInt16();
  if (version !== OFFSET_VALUE_VERSION) throw new OffsetsRecordError(`offset value version ${version}`);
  return { offset: reader.readInt64(), leaderEpoch: reader.readInt32(), metadata: reader.readString(), commitTimestampMs: reader.readInt64() };
}

function decodeGroupValue(groupId: string, reader: KafkaReader): GroupSnapshot {
  const version = reader.readInt16();
  if (version !== GROUP_VALUE_VERSION) throw new OffsetsRecordError(`group value version ${version}`);
  const protocolType = reader.readString();
  const generationId = reader.readInt32();
  const protocolName = reader.readNullableString();
  const leaderId = reader.readNullableString();
  reader.readInt64(); // state timestamp
  const members = reader.readArray((inner) => {
    const memberId = inner.readString();
    const groupInstanceId = inner.readNullableString();
    const clientId = inner.readString();
    const clientHost = inner.readString();
    const rebalanceTimeoutMs = inner.readInt32();
    const sessionTimeoutMs = inner.readInt32();
    const subscription = inner.readBytes();
    const assignment = inner.readBytes();
    return { memberId, groupInstanceId, clientId, clientHost, rebalanceTimeoutMs, sessionTimeoutMs, protocols: [{ name: protocolName ?? '', metadata: subscription }], assignment };
  });
  return { groupId, protocolType: protocolType === '' ? null : protocolType, protocolName, generationId, leaderId, members };
}
