/**
 * The admin APIs beyond creating and deleting topics: CreatePartitions (through coord and the
 * controller, controller/partition-growth.ts), AlterConfigs and IncrementalAlterConfigs (topic
 * overrides in /config/topics, controller/topic-configs.ts, validated there: anything the broker
 * does not act on is INVALID_CONFIG), DescribeConfigs with those overrides, DescribeCluster, and
 * DeleteGroups (empty groups only) and DeleteRecords (the leader's log start moves up; followers
 * keep their older records until retention, which consumers never see: they read the leader). Every problem is answered per resource with Kafka's error
 * code and a message; one bad resource never fails the others.
 */
import {
  AlterConfigOperation,
  CLUSTER_AUTHORIZED_OPERATIONS_NOT_REQUESTED,
  ConfigResourceType,
  ConfigSource,
  ErrorCode,
  type AlterConfigsRequest,
  type AlterConfigsResource,
  type AlterConfigsResourceResult,
  type AlterConfigsResponse,
  type CreatePartitionsRequest,
  type CreatePartitionsResponse,
  type CreatePartitionsTopic,
  DELETE_UP_TO_HIGH_WATERMARK,
  type DeleteGroupsRequest,
  type DeleteGroupsResponse,
  type DeleteRecordsRequest,
  type DeleteRecordsResponse,
  type DescribeClusterResponse,
  type DescribeConfigsRequest,
  type DescribeConfigsResponse,
} from '../protocol/index.js';
import { assignReplicas, randomAssignmentChoice } from '../controller/assignment.js';
import { addPartitions, PartitionGrowthConflictError } from '../controller/partition-growth.js';
import type { ReplicaAssignment } from '../controller/partition-state.js';
import { InvalidTopicConfigError, validateTopicConfigs, writeTopicConfigs, type TopicConfigs } from '../controller/topic-configs.js';
import { handleDescribeConfigs } from './admin-handlers.js';
import { errorCodeOf, settledLeaderReplica, type BrokerContext } from './handlers.js';
import { internalTopicMessage, isInternalTopic } from './internal-topics.js';
import { MAX_PARTITIONS_PER_TOPIC } from './topic-store.js';

/** The longest a CreatePartitions waits for the new partitions' leaders. */
const WAIT_FOR_NEW_LEADERS_MAX_MS = 5_000;

type Verdict<T> = { ok: true; value: T } | { ok: false; errorCode: number; errorMessage: string };
const refuse = <T>(errorCode: number, errorMessage: string): Verdict<T> => ({ ok: false, errorCode, errorMessage });

/** The replicas of the partitions to add, or why they cannot be added. */
function planGrowth(context: BrokerContext, topic: CreatePartitionsTopic): Verdict<{ current: number; added: ReplicaAssignment }> {
  const view = context.view.snapshot.topics.get(topic.name);
  if (view === undefined) return refuse(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `unknown topic '${topic.name}'`);
  if (isInternalTopic(topic.name)) return refuse(ErrorCode.INVALID_TOPIC_EXCEPTION, internalTopicMessage(topic.name, 'add partitions to'));
  const current = view.assignment.length;
  if (topic.count <= current) return refuse(ErrorCode.INVALID_PARTITIONS, `topic '${topic.name}' has ${current} partitions; the new count must be larger, got ${topic.count}`);
  if (topic.count > MAX_PARTITIONS_PER_TOPIC) return refuse(ErrorCode.INVALID_PARTITIONS, `at most ${MAX_PARTITIONS_PER_TOPIC} partitions per topic, got ${topic.count}`);
  const replicationFactor = view.assignment[0]?.length ?? 1;
  const live = context.view.liveBrokerIds();
  if (topic.assignments !== null) {
    const valid =
      topic.assignments.length === topic.count - current &&
      topic.assignments.every((ids) => ids.length === replicationFactor && new Set(ids).size === ids.length && ids.every((id) => live.has(id)));
    if (!valid) return refuse(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `give ${topic.count - current} assignments of ${replicationFactor} distinct live brokers each`);
    return { ok: true, value: { current, added: topic.assignments.map((ids) => [...ids]) } };
  }
  if (live.size < replicationFactor) return refuse(ErrorCode.INVALID_REPLICATION_FACTOR, `replication factor ${replicationFactor} needs that many live brokers; ${live.size} are live`);
  // Kafka's round robin over the whole new count; the existing partitions keep their replicas.
  const full = assignReplicas([...live], topic.count, replicationFactor, randomAssignmentChoice(live.size));
  return { ok: true, value: { current, added: full.slice(current) } };
}

async function growTopic(context: BrokerContext, topic: CreatePartitionsTopic, request: CreatePartitionsRequest): Promise<{ errorCode: number; errorMessage: string | null }> {
  const plan = planGrowth(context, topic);
  if (!plan.ok) return plan;
  if (request.validateOnly) return { errorCode: ErrorCode.NONE, errorMessage: null };
  try {
    await addPartitions(context.admin.client, topic.name, plan.value.current, plan.value.added);
  } catch (error) {
    if (error instanceof PartitionGrowthConflictError) return { errorCode: ErrorCode.INVALID_PARTITIONS, errorMessage: error.message };
    context.logger.error({ err: error, topic: topic.name }, 'adding partitions failed');
    return { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: 'the new partitions could not be written to coord' };
  }
  context.logger.info({ topic: topic.name, from: plan.value.current, to: topic.count }, 'partitions added');
  await context.view.waitFor((snapshot) => (snapshot.topics.get(topic.name)?.assignment.length ?? 0) >= topic.count, WAIT_FOR_NEW_LEADERS_MAX_MS);
  await context.admin.waitForLeaders(topic.name, Math.max(0, Math.min(request.timeoutMs, WAIT_FOR_NEW_LEADERS_MAX_MS)));
  return { errorCode: ErrorCode.NONE, errorMessage: null };
}

export async function handleCreatePartitions(context: BrokerContext, request: CreatePartitionsRequest): Promise<CreatePartitionsResponse> {
  const results = [];
  for (const topic of request.topics) results.push({ name: topic.name, ...(await growTopic(context, topic, request)) });
  return { throttleTimeMs: 0, results };
}

/** The overrides after applying a resource's entries: replacing all (AlterConfigs) or one by one (Incremental). */
function alteredConfigs(current: TopicConfigs, resource: AlterConfigsResource, incremental: boolean): TopicConfigs {
  if (!incremental) return validateTopicConfigs(resource.configs);
  const next: Record<string, string> = { ...current };
  for (const entry of resource.configs) {
    if (entry.operation === AlterConfigOperation.DELETE) delete next[entry.name];
    else if (entry.operation === AlterConfigOperation.SET) Object.assign(next, validateTopicConfigs([entry]));
    else throw new InvalidTopicConfigError(entry.name, entry.value, `operation ${entry.operation} is not supported; use SET (0) or DELETE (1)`);
  }
  return next;
}

async function alterResource(context: BrokerContext, resource: AlterConfigsResource, validateOnly: boolean, incremental: boolean): Promise<AlterConfigsResourceResult> {
  const answer = (errorCode: number, errorMessage: string | null): AlterConfigsResourceResult => ({ errorCode, errorMessage, resourceType: resource.resourceType, resourceName: resource.resourceName });
  if (resource.resourceType === ConfigResourceType.BROKER) return answer(ErrorCode.INVALID_REQUEST, 'broker configs are static: set them on the command line and restart the broker');
  if (resource.resourceType !== ConfigResourceType.TOPIC) return answer(ErrorCode.INVALID_REQUEST, `resource type ${resource.resourceType} has no alterable configs`);
  const topic = resource.resourceName;
  if (!context.view.snapshot.topics.has(topic)) return answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `unknown topic '${topic}'`);
  try {
    const configs = alteredConfigs(await context.admin.configs(topic), resource, incremental);
    if (validateOnly) return answer(ErrorCode.NONE, null);
    await writeTopicConfigs(context.admin.client, topic, configs);
    context.logger.info({ topic, configs }, 'topic configs altered');
    return answer(ErrorCode.NONE, null);
  } catch (error) {
    if (error instanceof InvalidTopicConfigError) return answer(ErrorCode.INVALID_CONFIG, error.message);
    context.logger.error({ err: error, topic }, 'altering topic configs failed');
    return answer(ErrorCode.UNKNOWN_SERVER_ERROR, 'the configs could not be written to coord');
  }
}

/** AlterConfigs (incremental = false) and IncrementalAlterConfigs (true). */
export async function handleAlterConfigs(context: BrokerContext, request: AlterConfigsRequest, incremental: boolean): Promise<AlterConfigsResponse> {
  const responses = [];
  for (const resource of request.resources) responses.push(await alterResource(context, resource, request.validateOnly, incremental));
  return { throttleTimeMs: 0, responses };
}

/** DescribeConfigs (admin-handlers.ts) with each topic's stored overrides filled in. */
export async function handleDescribeConfigsWithOverrides(context: BrokerContext, request: DescribeConfigsRequest): Promise<DescribeConfigsResponse> {
  const response = handleDescribeConfigs(context, request);
  for (const [index, result] of response.results.entries()) {
    const resource = request.resources[index];
    if (result.errorCode !== ErrorCode.NONE || result.resourceType !== ConfigResourceType.TOPIC || resource === undefined) continue;
    try {
      const configs = await context.admin.configs(result.resourceName);
      const wanted = resource.configurationKeys;
      result.configs = Object.entries(configs)
        .filter(([name]) => wanted === null || wanted.includes(name))
        .map(([name, value]) => ({ name, value, readOnly: false, isDefault: false, configSource: ConfigSource.TOPIC_CONFIG, isSensitive: false, synonyms: [] }));
    } catch (error) {
      context.logger.error({ err: error, topic: result.resourceName }, 'reading topic configs failed');
      Object.assign(result, { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: 'the configs could not be read from coord' });
    }
  }
  return response;
}

export function handleDescribeCluster(context: BrokerContext): DescribeClusterResponse {
  const snapshot = context.view.snapshot;
  return {
    throttleTimeMs: 0,
    errorCode: ErrorCode.NONE,
    errorMessage: null,
    clusterId: context.identity.clusterId,
    controllerId: snapshot.controllerId,
    brokers: [...snapshot.brokers].sort(([a], [b]) => a - b).map(([brokerId, endpoint]) => ({ brokerId, host: endpoint.host, port: endpoint.port, rack: null })),
    clusterAuthorizedOperations: CLUSTER_AUTHORIZED_OPERATIONS_NOT_REQUESTED,
  };
}

export async function handleDeleteGroups(context: BrokerContext, request: DeleteGroupsRequest): Promise<DeleteGroupsResponse> {
  const results = [];
  for (const groupId of request.groupsNames) {
    const errorCode = groupId === '' ? ErrorCode.INVALID_GROUP_ID : await context.groups.deleteGroup(groupId);
    if (errorCode === ErrorCode.NONE) context.logger.info({ group: groupId }, 'group deleted');
    results.push({ groupId, errorCode });
  }
  return { throttleTimeMs: 0, results };
}

async function deleteRecordsOf(context: BrokerContext, topic: string, partition: number, offset: bigint): Promise<{ lowWatermark: bigint; errorCode: number }> {
  if (isInternalTopic(topic)) return { lowWatermark: -1n, errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION };
  const replica = await settledLeaderReplica(context, topic, partition);
  if (typeof replica === 'number') return { lowWatermark: -1n, errorCode: replica };
  // Only committed records can be deleted: beyond the high watermark is out of range, as in Kafka.
  const before = offset === DELETE_UP_TO_HIGH_WATERMARK ? replica.highWatermark : Number(offset);
  if (!(before >= 0 && before <= replica.highWatermark)) return { lowWatermark: BigInt(replica.log.logStartOffset), errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
  try {
    const logStartOffset = await replica.log.deleteRecordsBefore(before);
    context.logger.info({ topic, partition, logStartOffset }, 'records deleted');
    return { lowWatermark: BigInt(logStartOffset), errorCode: ErrorCode.NONE };
  } catch (error) {
    return { lowWatermark: -1n, errorCode: errorCodeOf(error, context) };
  }
}

export async function handleDeleteRecords(context: BrokerContext, request: DeleteRecordsRequest): Promise<DeleteRecordsResponse> {
  const topics = [];
  for (const topic of request.topics) {
    const partitions = [];
    for (const { partitionIndex, offset } of topic.partitions) partitions.push({ partitionIndex, ...(await deleteRecordsOf(context, topic.name, partitionIndex, offset)) });
    topics.push({ name: topic.name, partitions });
  }
  return { throttleTimeMs: 0, topics };
}
