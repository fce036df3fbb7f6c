/**
 * The admin APIs kafkajs's admin client uses for topics: CreateTopics, DeleteTopics and
 * DescribeConfigs. Topics are created and deleted in coord (topic-admin.ts), so any broker can
 * take the request. Every problem is answered per topic with Kafka's error code and message;
 * one bad topic never fails the others in the same request.
 *
 * Config overrides the broker acts on (cleanup.policy, delete.retention.ms, retention.ms,
 * retention.bytes: controller/topic-configs.ts)
 * are stored with the topic; any other is refused rather than silently ignored: a client must not
 * believe it got settings it did not get.
 */

/** The longest a CreateTopics (DeleteTopics) waits for the new partitions' leaders (the local logs' removal). */
const CREATE_WAIT_FOR_LEADERS_MAX_MS = 5_000;
import {
  BROKER_DEFAULT,
  ConfigResourceType,
  ErrorCode,
  type CreatableTopic,
  type CreateTopicsRequest,
  type CreateTopicsResponse,
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
  type DescribeConfigsRequest,
  type DescribeConfigsResponse,
  type DescribeConfigsResult,
} from '../protocol/index.js';
import { ReplicationFactorError } from '../controller/errors.js';
import type { ReplicaAssignment } from '../controller/partition-state.js';
import { TopicExistsError } from '../controller/topic-admin.js';
import { InvalidTopicConfigError, validateTopicConfigs, type TopicConfigs } from '../controller/topic-configs.js';
import type { BrokerContext } from './handlers.js';
import { internalTopicMessage, isInternalTopic } from './internal-topics.js';
import { isValidTopicName, MAX_PARTITIONS_PER_TOPIC } from './topic-store.js';

interface TopicVerdict {
  errorCode: number;
  errorMessage: string | null;
  assignment: ReplicaAssignment;
  configs?: TopicConfigs;
}

const refuse = (errorCode: number, errorMessage: string): TopicVerdict => ({ errorCode, errorMessage, assignment: [] });

function judgeTopic(context: BrokerContext, topic: CreatableTopic): TopicVerdict {
  const verdict = judgeTopicPlacement(context, topic);
  if (verdict.errorCode !== ErrorCode.NONE) return verdict;
  try {
    return { ...verdict, configs: validateTopicConfigs(topic.configs) };
  } catch (error) {
    if (error instanceof InvalidTopicConfigError) return refuse(ErrorCode.INVALID_CONFIG, error.message);
    throw error;
  }
}

/** A manual assignment: partitions 0..n-1, each on distinct live brokers, all with one replica count. */
function manualAssignment(context: BrokerContext, topic: CreatableTopic): TopicVerdict {
  if (topic.numPartitions !== BROKER_DEFAULT || topic.replicationFactor !== BROKER_DEFAULT) {
    return refuse(ErrorCode.INVALID_REQUEST, 'numPartitions and replicationFactor must be -1 when assignments are given');
  }
  const live = context.view.liveBrokerIds();
  const sorted = [...topic.assignments].sort((left, right) => left.partitionIndex - right.partitionIndex);
  const replicaCount = sorted[0]?.brokerIds.length ?? 0;
  const valid =
    sorted.length <= MAX_PARTITIONS_PER_TOPIC &&
    sorted.every((entry, position) => entry.partitionIndex === position) &&
    sorted.every((entry) => entry.brokerIds.length === replicaCount && replicaCount > 0 && new Set(entry.brokerIds).size === replicaCount && entry.brokerIds.every((id) => live.has(id)));
  if (!valid) return refuse(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `assignments must cover partitions 0..n-1 (n <= ${MAX_PARTITIONS_PER_TOPIC}), each with the same number of distinct live brokers (live: ${[...live].sort((a, b) => a - b).join(', ')})`);
  return { errorCode: ErrorCode.NONE, errorMessage: null, assignment: sorted.map((entry) => [...entry.brokerIds]) };
}

function judgeTopicPlacement(context: BrokerContext, topic: CreatableTopic): TopicVerdict {
  if (!isValidTopicName(topic.name)) return refuse(ErrorCode.INVALID_TOPIC_EXCEPTION, 'topic names are 1..249 characters of [a-zA-Z0-9._-], not "." or ".."');
  if (context.view.snapshot.topics.has(topic.name)) return refuse(ErrorCode.TOPIC_ALREADY_EXISTS, `topic '${topic.name}' already exists`);
  if (isInternalTopic(topic.name)) return refuse(ErrorCode.INVALID_TOPIC_EXCEPTION, internalTopicMessage(topic.name, 'create'));
  if (topic.assignments.length > 0) return manualAssignment(context, topic);
  const partitionCount = topic.numPartitions === BROKER_DEFAULT ? context.identity.defaultPartitions : topic.numPartitions;
  if (!(partitionCount >= 1 && partitionCount <= MAX_PARTITIONS_PER_TOPIC)) {
    return refuse(ErrorCode.INVALID_PARTITIONS, `numPartitions must be -1 or 1..${MAX_PARTITIONS_PER_TOPIC}, got ${topic.numPartitions}`);
  }
  const replicationFactor = topic.replicationFactor === BROKER_DEFAULT ? context.identity.defaultReplicationFactor : topic.replicationFactor;
  try {
    return { errorCode: ErrorCode.NONE, errorMessage: null, assignment: context.admin.plan(partitionCount, replicationFactor) };
  } catch (error) {
    if (error instanceof ReplicationFactorError) return refuse(ErrorCode.INVALID_REPLICATION_FACTOR, error.message);
    throw error;
  }
}

async function createTopic(context: BrokerContext, name: string, assignment: ReplicaAssignment, configs: TopicConfigs, timeoutMs: number): Promise<{ errorCode: number; errorMessage: string | null }> {
  try {
    await context.admin.create(name, assignment, configs);
    context.cleanupPolicies?.forget(name);
  } catch (error) {
    if (error instanceof TopicExistsError) return { errorCode: ErrorCode.TOPIC_ALREADY_EXISTS, errorMessage: error.message };
    context.logger.error({ err: error, topic: name }, 'topic creation failed');
    return { errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: 'the topic could not be written to coord' };
  }
  context.logger.info({ topic: name, assignment }, 'topic created');
  // Kafka answers once the assignment is stored; waiting for leaders (bounded by the request's
  // timeout) saves clients a round of LEADER_NOT_AVAILABLE right after.
  await context.admin.waitForLeaders(name, Math.max(0, Math.min(timeoutMs, CREATE_WAIT_FOR_LEADERS_MAX_MS)));
  return { errorCode: ErrorCode.NONE, errorMessage: null };
}

export async function handleCreateTopics(context: BrokerContext, request: CreateTopicsRequest): Promise<CreateTopicsResponse> {
  const counts = new Map<string, number>();
  for (const topic of request.topics) counts.set(topic.name, (counts.get(topic.name) ?? 0) + 1);
  const topics = [];
  for (const topic of request.topics) {
    // As Kafka: a name listed twice in one request is refused for every entry.
    const verdict = (counts.get(topic.name) ?? 0) > 1 ? refuse(ErrorCode.INVALID_REQUEST, `topic '${topic.name}' is listed more than once`) : judgeTopic(context, topic);
    if (verdict.errorCode === ErrorCode.NONE && !request.validateOnly) {
      topics.push({ name: topic.name, ...(await createTopic(context, topic.name, verdict.assignment, verdict.configs ?? {}, request.timeoutMs)) });
      continue;
    }
    topics.push({ name: topic.name, errorCode: verdict.errorCode, errorMessage: verdict.errorMessage });
  }
  return { throttleTimeMs: 0, topics };
}

export async function handleDeleteTopics(context: BrokerContext, request: DeleteTopicsRequest): Promise<DeleteTopicsResponse> {
  const responses = [];
  for (const name of request.topicNames) {
    if (isInternalTopic(name)) {
      responses.push({ name, errorCode: ErrorCode.INVALID_TOPIC_EXCEPTION });
      continue;
    }
    try {
      const deleted = await context.admin.delete(name);
      if (deleted) {
        // Answer once this broker has dropped its own logs (the others follow from their watches).
        await context.view.waitFor((snapshot) => !snapshot.topics.has(name), Math.max(0, Math.min(request.timeoutMs, CREATE_WAIT_FOR_LEADERS_MAX_MS)));
        await context.replicas.settled();
        context.logger.info({ topic: name }, 'topic deleted');
      }
      responses.push({ name, errorCode: deleted ? ErrorCode.NONE : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
    } catch (error) {
      context.logger.error({ err: error, topic: name }, 'topic deletion failed');
      responses.push({ name, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR });
    }
  }
  return { throttleTimeMs: 0, responses };
}

/**
 * Topics and this broker exist as resources but carry no described configuration yet (the
 * partition logs' settings are not exposed to the broker layer): the answer is an empty list,
 * which is true, rather than Kafka's defaults, which might not be.
 */
export function handleDescribeConfigs(context: BrokerContext, request: DescribeConfigsRequest): DescribeConfigsResponse {
  const results = request.resources.map((resource): DescribeConfigsResult => {
    const answer = (errorCode: number, errorMessage: string | null): DescribeConfigsResult => ({ errorCode, errorMessage, resourceType: resource.resourceType, resourceName: resource.resourceName, configs: [] });
    switch (resource.resourceType) {
      case ConfigResourceType.TOPIC:
        return context.view.snapshot.topics.has(resource.resourceName) ? answer(ErrorCode.NONE, null) : answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `unknown topic '${resource.resourceName}'`);
      case ConfigResourceType.BROKER:
        return resource.resourceName === '' || resource.resourceName === String(context.identity.nodeId)
          ? answer(ErrorCode.NONE, null)
          : answer(ErrorCode.INVALID_REQUEST, `this is broker ${context.identity.nodeId}, not '${resource.resourceName}'`);
      default:
        return answer(ErrorCode.INVALID_REQUEST, `resource type ${resource.resourceType} is not described by this broker`);
    }
  });
  return { throttleTimeMs: 0, results };
}
