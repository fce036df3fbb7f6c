/**
 * Metadata from the cluster view: the live brokers, the controller, and per partition its
 * replicas, leader and ISR as coord holds them. A partition without a live leader answers
 * LEADER_NOT_AVAILABLE (clients retry). An unknown topic may be created on the fly
 * (auto.create.topics.enable), through coord like any other creation.
 */
import { ErrorCode, type MetadataRequest, type MetadataResponse } from '../protocol/index.js';
import { ReplicationFactorError } from '../controller/errors.js';
import { TopicExistsError } from '../controller/topic-admin.js';
import type { BrokerContext } from './handlers.js';
import { isInternalTopic } from './internal-topics.js';
import { isValidTopicName } from './topic-store.js';
import { OFFSETS_TOPIC } from '../groups/limits.js';

/** How long a metadata request that auto-creates a topic waits for its leaders. */
const AUTO_CREATE_WAIT_MS = 2_000;

type TopicMetadata = MetadataResponse['topics'][number];

async function autoCreate(context: BrokerContext, name: string): Promise<number> {
  const { identity, admin } = context;
  try {
    await admin.create(name, admin.plan(identity.defaultPartitions, identity.defaultReplicationFactor));
    context.logger.info({ topic: name, partitions: identity.defaultPartitions, replicationFactor: identity.defaultReplicationFactor }, 'topic auto-created');
  } catch (error) {
    if (error instanceof ReplicationFactorError) return ErrorCode.INVALID_REPLICATION_FACTOR;
    if (!(error instanceof TopicExistsError)) {
      context.logger.error({ err: error, topic: name }, 'topic auto-creation failed');
      return ErrorCode.UNKNOWN_SERVER_ERROR;
    }
  }
  await admin.waitForLeaders(name, AUTO_CREATE_WAIT_MS);
  return ErrorCode.NONE;
}

function describeTopic(context: BrokerContext, name: string): TopicMetadata | undefined {
  const snapshot = context.view.snapshot;
  const topic = snapshot.topics.get(name);
  if (topic === undefined) return undefined;
  const partitions = topic.assignment.map((replicas, partitionIndex) => {
    const state = topic.states.get(partitionIndex)?.state;
    const leaderId = state !== undefined && snapshot.brokers.has(state.leader) ? state.leader : -1;
    return {
      errorCode: leaderId < 0 ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
      partitionIndex,
      leaderId,
      replicaNodes: [...replicas],
      isrNodes: state ? [...state.isr] : [],
      offlineReplicas: replicas.filter((id) => !snapshot.brokers.has(id)),
    };
  });
  return { errorCode: ErrorCode.NONE, name, isInternal: name === OFFSETS_TOPIC, partitions };
}

export async function handleMetadata(context: BrokerContext, request: MetadataRequest): Promise<MetadataResponse> {
  const wanted = request.topics ?? [...context.view.snapshot.topics.keys()].sort();
  const answers: TopicMetadata[] = [];
  for (const name of wanted) {
    const unknown = (errorCode: number): TopicMetadata => ({ errorCode, name, isInternal: false, partitions: [] });
    if (!isValidTopicName(name)) {
      answers.push(unknown(ErrorCode.INVALID_TOPIC_EXCEPTION));
      continue;
    }
    let described = describeTopic(context, name);
    // Never auto-create an internal topic here: the group coordinator creates `__consumer_offsets`
    // with its own partition count and compaction (group-handlers.ts), not a default topic's.
    if (described === undefined && request.topics !== null && request.allowAutoTopicCreation && context.identity.autoCreateTopics && !isInternalTopic(name)) {
      const errorCode = await autoCreate(context, name);
      if (errorCode !== ErrorCode.NONE) {
        answers.push(unknown(errorCode));
        continue;
      }
      described = describeTopic(context, name) ?? unknown(ErrorCode.LEADER_NOT_AVAILABLE);
    }
    answers.push(described ?? unknown(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION));
  }
  const snapshot = context.view.snapshot;
  return {
    throttleTimeMs: 0,
    brokers: [...snapshot.brokers].sort(([a], [b]) => a - b).map(([nodeId, endpoint]) => ({ nodeId, host: endpoint.host, port: endpoint.port, rack: null })),
    clusterId: context.identity.clusterId,
    controllerId: snapshot.controllerId,
    topics: answers,
  };
}
