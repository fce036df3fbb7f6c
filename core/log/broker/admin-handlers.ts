/**
 * What a single broker answers for the admin APIs kafkajs's admin client uses for topics:
 * CreateTopics, DeleteTopics and DescribeConfigs. Every problem is answered per topic with
 * Kafka's error code and message; one bad topic never fails the others in the same request.
 *
 * This broker is alone (no replication) and keeps no per-topic configuration, so a replication
 * factor above 1, a placement on another broker or a config override is refused rather than
 * silently ignored: a client must not believe it got durability or settings it did not get.
 */
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
import type { BrokerContext } from './handlers.js';
import { isValidTopicName, MAX_PARTITIONS_PER_TOPIC } from './topic-store.js';

/** The only replication factor one broker can honour. */
const SINGLE_REPLICA = 1;

interface TopicVerdict {
  errorCode: number;
  errorMessage: string | null;
  partitionCount: number;
}

const refuse = (errorCode: number, errorMessage: string): TopicVerdict => ({ errorCode, errorMessage, partitionCount: 0 });

/** Partitions from a manual assignment: indexes 0..n-1, each on exactly this broker. */
function assignedPartitionCount(context: BrokerContext, topic: CreatableTopic): TopicVerdict {
  if (topic.numPartitions !== BROKER_DEFAULT || topic.replicationFactor !== BROKER_DEFAULT) {
    return refuse(ErrorCode.INVALID_REQUEST, 'numPartitions and replicationFactor must be -1 when assignments are given');
  }
  const { nodeId } = context.identity;
  const indexes = topic.assignments.map((assignment) => assignment.partitionIndex).sort((left, right) => left - right);
  const contiguous = indexes.every((index, position) => index === position);
  const local = topic.assignments.every((assignment) => assignment.brokerIds.length === SINGLE_REPLICA && assignment.brokerIds[0] === nodeId);
  if (!contiguous || !local || indexes.length > MAX_PARTITIONS_PER_TOPIC) {
    return refuse(ErrorCode.INVALID_REPLICA_ASSIGNMENT, `assignments must cover partitions 0..n-1 (n <= ${MAX_PARTITIONS_PER_TOPIC}), each on broker ${nodeId} only`);
  }
  return { errorCode: ErrorCode.NONE, errorMessage: null, partitionCount: indexes.length };
}

function judgeTopic(context: BrokerContext, topic: CreatableTopic): TopicVerdict {
  if (!isValidTopicName(topic.name)) return refuse(ErrorCode.INVALID_TOPIC_EXCEPTION, 'topic names are 1..249 characters of [a-zA-Z0-9._-], not "." or ".."');
  if (context.topics.partitions(topic.name)) return refuse(ErrorCode.TOPIC_ALREADY_EXISTS, `topic '${topic.name}' already exists`);
  if (topic.configs.length > 0) return refuse(ErrorCode.INVALID_CONFIG, 'this broker keeps no per-topic configuration; create the topic without configs');
  if (topic.assignments.length > 0) return assignedPartitionCount(context, topic);
  const partitionCount = topic.numPartitions === BROKER_DEFAULT ? context.identity.defaultPartitions : topic.numPartitions;
  if (!(partitionCount >= 1 && partitionCount <= MAX_PARTITIONS_PER_TOPIC)) {
    return refuse(ErrorCode.INVALID_PARTITIONS, `numPartitions must be -1 or 1..${MAX_PARTITIONS_PER_TOPIC}, got ${topic.numPartitions}`);
  }
  if (topic.replicationFactor !== BROKER_DEFAULT && topic.replicationFactor !== SINGLE_REPLICA) {
    return refuse(ErrorCode.INVALID_REPLICATION_FACTOR, `replicationFactor must be -1 or 1 on a single broker, got ${topic.replicationFactor}`);
  }
  return { errorCode: ErrorCode.NONE, errorMessage: null, partitionCount };
}

export async function handleCreateTopics(context: BrokerContext, request: CreateTopicsRequest): Promise<CreateTopicsResponse> {
  const counts = new Map<string, number>();
  for (const topic of request.topics) counts.set(topic.name, (counts.get(topic.name) ?? 0) + 1);
  const topics = [];
  for (const topic of request.topics) {
    // As Kafka: a name listed twice in one request is refused for every entry.
    const verdict = (counts.get(topic.name) ?? 0) > 1 ? refuse(ErrorCode.INVALID_REQUEST, `topic '${topic.name}' is listed more than once`) : judgeTopic(context, topic);
    if (verdict.errorCode === ErrorCode.NONE && !request.validateOnly) {
      try {
        await context.topics.create(topic.name, verdict.partitionCount);
        context.logger.info({ topic: topic.name, partitions: verdict.partitionCount }, 'topic created');
      } catch (error) {
        context.logger.error({ err: error, topic: topic.name }, 'topic creation failed');
        topics.push({ name: topic.name, errorCode: ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: 'the broker could not create the partition logs' });
        continue;
      }
    }
    topics.push({ name: topic.name, errorCode: verdict.errorCode, errorMessage: verdict.errorMessage });
  }
  return { throttleTimeMs: 0, topics };
}

export async function handleDeleteTopics(context: BrokerContext, request: DeleteTopicsRequest): Promise<DeleteTopicsResponse> {
  const responses = [];
  for (const name of request.topicNames) {
    try {
      const deleted = await context.topics.delete(name);
      if (deleted) context.logger.info({ topic: name }, 'topic deleted');
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
        return context.topics.partitions(resource.resourceName) ? answer(ErrorCode.NONE, null) : answer(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `unknown topic '${resource.resourceName}'`);
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
