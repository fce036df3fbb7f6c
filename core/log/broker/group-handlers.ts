/**
 * The group coordinator's APIs: requests checked against core/log/groups/limits.ts, then handed
 * to the GroupCoordinator. Anything out of bounds is answered with the protocol's error code for
 * that group, member or partition; nothing a client sends can stop the coordinator serving
 * other groups.
 *
 * `__consumer_offsets` is created on the first FindCoordinator, with the broker's replication
 * settings (default.replication.factor) and OFFSETS_TOPIC_PARTITIONS partitions.
 */
import {
  AUTHORIZED_OPERATIONS_NOT_REQUESTED,
  CoordinatorKeyType,
  ErrorCode,
  type DescribedGroup,
  type DescribeGroupsRequest,
  type DescribeGroupsResponse,
  type FindCoordinatorRequest,
  type FindCoordinatorResponse,
  type HeartbeatRequest,
  type HeartbeatResponse,
  type JoinGroupRequest,
  type JoinGroupResponse,
  type LeaveGroupRequest,
  type LeaveGroupResponse,
  type ListGroupsResponse,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
  type SyncGroupRequest,
  type SyncGroupResponse,
} from '../protocol/index.js';
import { CLEANUP_POLICY } from '../controller/topic-configs.js';
import { ReplicationFactorError } from '../controller/errors.js';
import { TopicExistsError } from '../controller/topic-admin.js';
import { offsetKey } from '../groups/offsets-partition.js';
import type { CommitEntry } from '../groups/coordinator.js';
import {
  MAX_GROUP_ID_LENGTH,
  MAX_MEMBER_METADATA_BYTES,
  MAX_MEMBERS_PER_GROUP,
  MAX_NAME_LENGTH,
  MAX_OFFSET_METADATA_LENGTH,
  MAX_PARTITIONS_PER_COMMIT,
  MAX_PROTOCOLS_PER_MEMBER,
  OFFSETS_TOPIC,
  OFFSETS_TOPIC_CREATE_WAIT_MS,
  OFFSETS_TOPIC_REPLICATION_FACTOR,
} from '../groups/limits.js';
import type { BrokerContext } from './handlers.js';

/** setTimeout's longest delay: a larger rebalance timeout would fire at once. */
const MAX_TIMEOUT_MS = 0x7fffffff;

const validGroupId = (groupId: string) => groupId.length > 0 && groupId.length <= MAX_GROUP_ID_LENGTH;

async function ensureOffsetsTopic(context: BrokerContext): Promise<number> {
  if (context.view.snapshot.topics.has(OFFSETS_TOPIC)) return ErrorCode.NONE;
  const { admin, identity, groups } = context;
  try {
    // Compacted, as Kafka creates it: only the latest commit of each group and partition matters.
    const replicationFactor = Math.max(identity.defaultReplicationFactor, Math.min(OFFSETS_TOPIC_REPLICATION_FACTOR, context.view.liveBrokerIds().size));
    await admin.create(OFFSETS_TOPIC, admin.plan(groups.partitions, replicationFactor), { [CLEANUP_POLICY]: 'compact' });
    context.logger.info({ partitions: groups.partitions, replicationFactor }, `${OFFSETS_TOPIC} created`);
  } catch (error) {
    if (error instanceof ReplicationFactorError) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (!(error instanceof TopicExistsError)) throw error;
  }
  await admin.waitForLeaders(OFFSETS_TOPIC, OFFSETS_TOPIC_CREATE_WAIT_MS);
  return ErrorCode.NONE;
}

export async function handleFindCoordinator(context: BrokerContext, request: FindCoordinatorRequest): Promise<FindCoordinatorResponse> {
  const failed = (errorCode: number, errorMessage: string): FindCoordinatorResponse => ({ throttleTimeMs: 0, errorCode, errorMessage, nodeId: -1, host: '', port: -1 });
  if (request.keyType === CoordinatorKeyType.TRANSACTION) return failed(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'transactions are not supported by this broker');
  if (request.keyType !== CoordinatorKeyType.GROUP) return failed(ErrorCode.INVALID_REQUEST, `unknown key type ${request.keyType}`);
  if (!validGroupId(request.key)) return failed(ErrorCode.INVALID_GROUP_ID, `group ids are 1..${MAX_GROUP_ID_LENGTH} characters`);
  const created = await ensureOffsetsTopic(context);
  if (created !== ErrorCode.NONE) return failed(created, `${OFFSETS_TOPIC} cannot be created with the live brokers`);
  const snapshot = context.view.snapshot;
  const leader = snapshot.topics.get(OFFSETS_TOPIC)?.states.get(context.groups.partitionFor(request.key))?.state.leader ?? -1;
  const endpoint = snapshot.brokers.get(leader);
  if (endpoint === undefined) return failed(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'the group\'s offsets partition has no live leader');
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, nodeId: leader, host: endpoint.host, port: endpoint.port };
}

export async function handleJoinGroup(context: BrokerContext, request: JoinGroupRequest, apiVersion: number, clientId: string, clientHost: string): Promise<JoinGroupResponse> {
  const failed = (errorCode: number): JoinGroupResponse => ({ throttleTimeMs: 0, errorCode, generationId: -1, protocolName: '', leader: '', memberId: request.memberId, members: [] });
  if (!validGroupId(request.groupId)) return failed(ErrorCode.INVALID_GROUP_ID);
  if (request.memberId.length > MAX_NAME_LENGTH) return failed(ErrorCode.UNKNOWN_MEMBER_ID);
  const tooBig =
    request.protocols.length > MAX_PROTOCOLS_PER_MEMBER ||
    request.protocolType.length > MAX_NAME_LENGTH ||
    request.protocols.some((protocol) => protocol.name.length > MAX_NAME_LENGTH || protocol.metadata.length > MAX_MEMBER_METADATA_BYTES);
  if (tooBig) return failed(ErrorCode.INVALID_REQUEST);
  const reply = await context.groups.join(request.groupId, {
    memberId: request.memberId,
    groupInstanceId: request.groupInstanceId,
    clientId: clientId.slice(0, MAX_NAME_LENGTH),
    clientHost,
    sessionTimeoutMs: request.sessionTimeoutMs,
    rebalanceTimeoutMs: Math.min(Math.max(0, request.rebalanceTimeoutMs), MAX_TIMEOUT_MS),
    protocolType: request.protocolType,
    protocols: request.protocols.map((protocol) => ({ name: protocol.name, metadata: Buffer.from(protocol.metadata) })),
    requireKnownMemberId: apiVersion >= 4,
  });
  return { throttleTimeMs: 0, ...reply };
}

export async function handleSyncGroup(context: BrokerContext, request: SyncGroupRequest): Promise<SyncGroupResponse> {
  if (!validGroupId(request.groupId)) return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_GROUP_ID, assignment: Buffer.alloc(0) };
  if (request.assignments.length > MAX_MEMBERS_PER_GROUP || request.assignments.some((entry) => entry.assignment.length > MAX_MEMBER_METADATA_BYTES)) {
    return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, assignment: Buffer.alloc(0) };
  }
  const assignments = request.assignments.map((entry) => ({ memberId: entry.memberId, assignment: Buffer.from(entry.assignment) }));
  return { throttleTimeMs: 0, ...(await context.groups.sync(request.groupId, request.memberId, request.generationId, assignments)) };
}

export async function handleHeartbeat(context: BrokerContext, request: HeartbeatRequest): Promise<HeartbeatResponse> {
  if (!validGroupId(request.groupId)) return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_GROUP_ID };
  return { throttleTimeMs: 0, errorCode: await context.groups.heartbeat(request.groupId, request.memberId, request.generationId) };
}

export async function handleLeaveGroup(context: BrokerContext, request: LeaveGroupRequest): Promise<LeaveGroupResponse> {
  if (!validGroupId(request.groupId)) return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_GROUP_ID, members: [] };
  if (request.members.length > MAX_MEMBERS_PER_GROUP) return { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, members: [] };
  const { errorCode, members } = await context.groups.leave(request.groupId, request.members.map((member) => member.memberId));
  return { throttleTimeMs: 0, errorCode, members: request.members.map((member, index) => ({ ...member, errorCode: members[index] ?? errorCode })) };
}

export async function handleOffsetCommit(context: BrokerContext, request: OffsetCommitRequest): Promise<OffsetCommitResponse> {
  const partitionCount = request.topics.reduce((sum, topic) => sum + topic.partitions.length, 0);
  const groupError = !validGroupId(request.groupId) ? ErrorCode.INVALID_GROUP_ID : partitionCount > MAX_PARTITIONS_PER_COMMIT ? ErrorCode.INVALID_REQUEST : ErrorCode.NONE;
  const nowMs = BigInt(Date.now());
  const verdicts = request.topics.map((topic) => {
    const known = context.view.snapshot.topics.get(topic.name);
    return topic.partitions.map((partition) => {
      if (groupError !== ErrorCode.NONE) return groupError;
      if (known === undefined || partition.partitionIndex < 0 || partition.partitionIndex >= known.assignment.length) return ErrorCode.UNKNOWN_TOPIC_OR_PARTITION;
      if ((partition.committedMetadata?.length ?? 0) > MAX_OFFSET_METADATA_LENGTH) return ErrorCode.OFFSET_METADATA_TOO_LARGE;
      return ErrorCode.NONE;
    });
  });
  const entries: CommitEntry[] = request.topics.flatMap((topic, topicIndex) =>
    topic.partitions
      .filter((_, index) => verdicts[topicIndex]?.[index] === ErrorCode.NONE)
      .map((partition) => ({
        topic: topic.name,
        partition: partition.partitionIndex,
        value: { offset: partition.committedOffset, leaderEpoch: partition.committedLeaderEpoch, metadata: partition.committedMetadata ?? '', commitTimestampMs: partition.commitTimestampMs >= 0n ? partition.commitTimestampMs : nowMs },
      })),
  );
  const stored = groupError === ErrorCode.NONE ? await context.groups.commit(request.groupId, request.memberId, request.generationId, entries) : groupError;
  return {
    throttleTimeMs: 0,
    topics: request.topics.map((topic, topicIndex) => ({
      name: topic.name,
      partitions: topic.partitions.map((partition, index) => {
        const verdict = verdicts[topicIndex]?.[index] ?? ErrorCode.NONE;
        return { partitionIndex: partition.partitionIndex, errorCode: verdict === ErrorCode.NONE ? stored : verdict };
      }),
    })),
  };
}

export async function handleOffsetFetch(context: BrokerContext, request: OffsetFetchRequest, apiVersion: number): Promise<OffsetFetchResponse> {
  const found = validGroupId(request.groupId) ? await context.groups.committed(request.groupId) : ErrorCode.INVALID_GROUP_ID;
  const committed = typeof found === 'number' ? new Map() : found;
  const groupError = typeof found === 'number' ? found : ErrorCode.NONE;
  let wanted = request.topics;
  if (wanted === null) {
    const byTopic = new Map<string, number[]>();
    for (const key of committed.keys()) {
      const [topic = '', partition = '0'] = key.split('\u0000');
      byTopic.set(topic, [...(byTopic.get(topic) ?? []), Number(partition)]);
    }
    wanted = [...byTopic].map(([name, partitionIndexes]) => ({ name, partitionIndexes }));
  }
  // Before v2 there is no group-level error: each partition carries it.
  const partitionError = apiVersion < 2 ? groupError : ErrorCode.NONE;
  return {
    throttleTimeMs: 0,
    errorCode: apiVersion < 2 ? ErrorCode.NONE : groupError,
    topics: wanted.map((topic) => ({
      name: topic.name,
      partitions: topic.partitionIndexes.map((partitionIndex) => {
        const entry = committed.get(offsetKey(topic.name, partitionIndex));
        return { partitionIndex, committedOffset: entry?.offset ?? -1n, committedLeaderEpoch: entry?.leaderEpoch ?? -1, metadata: entry?.metadata ?? '', errorCode: partitionError };
      }),
    })),
  };
}

export function handleListGroups(context: BrokerContext): ListGroupsResponse {
  const groups = context.groups.listGroups().map((group) => ({ groupId: group.groupId, protocolType: group.protocolType ?? '' }));
  return { throttleTimeMs: 0, errorCode: ErrorCode.NONE, groups };
}

export async function handleDescribeGroups(context: BrokerContext, request: DescribeGroupsRequest): Promise<DescribeGroupsResponse> {
  const groups: DescribedGroup[] = [];
  for (const groupId of request.groups) {
    const base = { groupId, groupState: 'Dead', protocolType: '', protocolData: '', members: [], authorizedOperations: AUTHORIZED_OPERATIONS_NOT_REQUESTED };
    const found = validGroupId(groupId) ? await context.groups.describe(groupId) : ErrorCode.INVALID_GROUP_ID;
    if (typeof found === 'number') {
      groups.push({ ...base, errorCode: found });
      continue;
    }
    if (found === undefined) {
      groups.push({ ...base, errorCode: ErrorCode.NONE });
      continue;
    }
    const stable = found.state === 'Stable';
    groups.push({
      ...base,
      errorCode: ErrorCode.NONE,
      groupState: found.state,
      protocolType: found.protocolType ?? '',
      protocolData: stable ? (found.protocolName ?? '') : '',
      members: [...found.members.values()].map((member) => ({
        memberId: member.memberId,
        groupInstanceId: member.groupInstanceId,
        clientId: member.clientId,
        clientHost: member.clientHost,
        memberMetadata: stable ? (member.protocols.find((protocol) => protocol.name === found.protocolName)?.metadata ?? Buffer.alloc(0)) : Buffer.alloc(0),
        memberAssignment: stable ? member.assignment : Buffer.alloc(0),
      })),
    });
  }
  return { throttleTimeMs: 0, groups };
}
