/**
 * Per-topic (and per-group) ACL checks around the existing handlers, so the handlers stay
 * unaware of security: each `authorize*` splits a request into what the principal may do and
 * what it may not, the handler serves the allowed part, and `complete` adds the refused part
 * back with Kafka's error code. Refused topics are never looked at, so their existence does not
 * leak (an unauthorized topic answers TOPIC_AUTHORIZATION_FAILED whether it exists or not).
 *
 * Operations, as Kafka checks them: Produce WRITE, Fetch / ListOffsets READ (follower fetches:
 * super users only, CLUSTER_AUTHORIZATION_FAILED otherwise), Metadata DESCRIBE (unauthorized
 * topics hidden from "all topics", TOPIC_AUTHORIZATION_FAILED when named; auto-creation only
 * with CREATE), CreateTopics CREATE, DeleteTopics DELETE, OffsetCommit group READ + topic READ,
 * OffsetFetch group DESCRIBE + topic DESCRIBE; CreatePartitions topic ALTER, DeleteRecords topic
 * DELETE, DeleteGroups group DELETE (GROUP_AUTHORIZATION_FAILED), DescribeCluster cluster
 * DESCRIBE (CLUSTER_AUTHORIZATION_FAILED). Kafka's ALTER_CONFIGS and DESCRIBE_CONFIGS are not
 * operations of their own here: AlterConfigs / IncrementalAlterConfigs need ALTER and
 * DescribeConfigs DESCRIBE, on the topic, or on the cluster for broker resources
 * (CLUSTER_AUTHORIZATION_FAILED). OffsetForLeaderEpoch: topic DESCRIBE for consumers, super users
 * only for followers (CLUSTER_AUTHORIZATION_FAILED). InitProducerId (idempotent producers): WRITE
 * on the cluster or on some topic (Kafka's IDEMPOTENT_WRITE or WRITE on any topic), else
 * CLUSTER_AUTHORIZATION_FAILED, so a principal that may write nowhere cannot use up producer ids.
 */
import {
  ConfigResourceType,
  ErrorCode,
  type AlterConfigsRequest,
  type AlterConfigsResponse,
  type CreatePartitionsRequest,
  type CreatePartitionsResponse,
  type DeleteGroupsRequest,
  type DeleteGroupsResponse,
  type DeleteRecordsRequest,
  type DeleteRecordsResponse,
  type DescribeConfigsRequest,
  type DescribeConfigsResponse,
  type OffsetForLeaderEpochRequest,
  type OffsetForLeaderEpochResponse,
  type CreateTopicsRequest,
  type CreateTopicsResponse,
  type DeleteTopicsRequest,
  type DeleteTopicsResponse,
  type FetchRequest,
  type FetchResponse,
  type ListOffsetsRequest,
  type ListOffsetsResponse,
  type MetadataRequest,
  type MetadataResponse,
  type OffsetCommitRequest,
  type OffsetCommitResponse,
  type OffsetFetchRequest,
  type OffsetFetchResponse,
  type ProduceRequest,
  type ProduceResponse,
} from '../protocol/index.js';
import type { Authorizer } from './authorizer.js';
import type { Operation } from './config.js';

const DENIED = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
/** The one cluster resource's name, as in Kafka ("kafka-cluster"); rules may also name it "*". */
export const CLUSTER_RESOURCE = 'kafka-cluster';
const AUTHORIZATION_FAILED_MESSAGE = 'Authorization failed.';

/** A request cut down to what is allowed, and how to answer the whole of it. */
export interface Authorized<Request, Response> {
  request: Request;
  complete(response: Response): Response;
}

export class RequestAuthorizer {
  constructor(
    private readonly authorizer: Authorizer,
    private readonly user: string,
  ) {}

  private topic(operation: Operation, name: string): boolean {
    return this.authorizer.allows(this.user, operation, 'topic', name);
  }

  group(operation: Operation, groupId: string): boolean {
    return this.authorizer.allows(this.user, operation, 'group', groupId);
  }

  /** May the principal do `operation` on the cluster itself? */
  cluster(operation: Operation): boolean {
    return this.authorizer.allows(this.user, operation, 'cluster', CLUSTER_RESOURCE);
  }

  /** The error for a config resource the principal may not `operation`, or undefined when it may (or the type is not guarded: the handler refuses it). */
  private configResourceDenial(operation: Operation, resourceType: number, resourceName: string): number | undefined {
    if (resourceType === ConfigResourceType.TOPIC) return this.topic(operation, resourceName) ? undefined : DENIED;
    if (resourceType === ConfigResourceType.BROKER) return this.cluster(operation) ? undefined : ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
    return undefined;
  }

  /** InitProducerId for an idempotent producer: may the principal write anywhere? */
  get mayProduce(): boolean {
    return this.cluster('write') || this.authorizer.allowsSome(this.user, 'write', 'topic');
  }

  get isSuperUser(): boolean {
    return this.authorizer.isSuperUser(this.user);
  }

  produce(request: ProduceRequest): Authorized<ProduceRequest, ProduceResponse> {
    const denied = request.topics.filter((topic) => !this.topic('write', topic.name));
    const refused = denied.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map(({ partitionIndex }) => ({ partitionIndex, errorCode: DENIED, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n })),
    }));
    return { request: { ...request, topics: request.topics.filter((topic) => !denied.includes(topic)) }, complete: (response) => ({ ...response, topics: [...response.topics, ...refused] }) };
  }

  /** Undefined: a follower fetch from someone who is no broker — answer CLUSTER_AUTHORIZATION_FAILED. */
  fetch(request: FetchRequest): Authorized<FetchRequest, FetchResponse> | undefined {
    if (request.replicaId >= 0 && !this.isSuperUser) return undefined;
    const denied = request.topics.filter((topic) => !this.topic('read', topic.name));
    const refused = denied.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map(({ partitionIndex }) => ({ partitionIndex, errorCode: DENIED, highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, abortedTransactions: null, preferredReadReplica: -1, records: null })),
    }));
    return { request: { ...request, topics: request.topics.filter((topic) => !denied.includes(topic)) }, complete: (response) => ({ ...response, topics: [...response.topics, ...refused] }) };
  }

  listOffsets(request: ListOffsetsRequest): Authorized<ListOffsetsRequest, ListOffsetsResponse> {
    const denied = request.topics.filter((topic) => !this.topic('read', topic.name));
    const refused = denied.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map(({ partitionIndex }) => ({ partitionIndex, errorCode: DENIED, oldStyleOffsets: [], timestamp: -1n, offset: -1n, leaderEpoch: -1 })),
    }));
    return { request: { ...request, topics: request.topics.filter((topic) => !denied.includes(topic)) }, complete: (response) => ({ ...response, topics: [...response.topics, ...refused] }) };
  }

  metadata(request: MetadataRequest): Authorized<MetadataRequest, MetadataResponse> {
    if (request.topics === null) {
      // "All topics": show only what the principal may describe, as if nothing else existed.
      return { request, complete: (response) => ({ ...response, topics: response.topics.filter((topic) => this.topic('describe', topic.name)) }) };
    }
    const denied = request.topics.filter((name) => !this.topic('describe', name));
    const allowed = request.topics.filter((name) => !denied.includes(name));
    const mayCreate = allowed.every((name) => this.topic('create', name));
    const refused = denied.map((name) => ({ errorCode: DENIED, name, isInternal: false, partitions: [] }));
    return {
      // An empty list would mean "no topics" already; Metadata v0's empty list means all, so never send one we made empty.
      request: { topics: allowed, allowAutoTopicCreation: request.allowAutoTopicCreation && mayCreate },
      complete: (response) => ({ ...response, topics: [...(allowed.length === 0 ? [] : response.topics), ...refused] }),
    };
  }

  createTopics(request: CreateTopicsRequest): Authorized<CreateTopicsRequest, CreateTopicsResponse> {
    const denied = request.topics.filter((topic) => !this.topic('create', topic.name));
    const refused = denied.map((topic) => ({ name: topic.name, errorCode: DENIED, errorMessage: 'Authorization failed.' }));
    return { request: { ...request, topics: request.topics.filter((topic) => !denied.includes(topic)) }, complete: (response) => ({ ...response, topics: [...response.topics, ...refused] }) };
  }

  deleteTopics(request: DeleteTopicsRequest): Authorized<DeleteTopicsRequest, DeleteTopicsResponse> {
    const denied = request.topicNames.filter((name) => !this.topic('delete', name));
    const refused = denied.map((name) => ({ name, errorCode: DENIED }));
    return { request: { ...request, topicNames: request.topicNames.filter((name) => !denied.includes(name)) }, complete: (response) => ({ ...response, responses: [...response.responses, ...refused] }) };
  }

  offsetCommit(request: OffsetCommitRequest): Authorized<OffsetCommitRequest, OffsetCommitResponse> {
    const groupAllowed = this.group('read', request.groupId);
    const denied = request.topics.filter((topic) => !groupAllowed || !this.topic('read', topic.name));
    const refused = denied.map((topic) => ({ name: topic.name, partitions: topic.partitions.map(({ partitionIndex }) => ({ partitionIndex, errorCode: groupAllowed ? DENIED : ErrorCode.GROUP_AUTHORIZATION_FAILED })) }));
    return { request: { ...request, topics: request.topics.filter((topic) => !denied.includes(topic)) }, complete: (response) => ({ ...response, topics: [...response.topics, ...refused] }) };
  }

  /** Undefined: the group itself may not be described — answer GROUP_AUTHORIZATION_FAILED. */
  offsetFetch(request: OffsetFetchRequest): Authorized<OffsetFetchRequest, OffsetFetchResponse> | undefined {
    if (!this.group('describe', request.groupId)) return undefined;
    if (request.topics === null) {
      return { request, complete: (response) => ({ ...response, topics: response.topics.filter((topic) => this.topic('describe', topic.name)) }) };
    }
    const denied = request.topics.filter((topic) => !this.topic('describe', topic.name));
    const refused = denied.map((topic) => ({ name: topic.name, partitions: topic.partitionIndexes.map((partitionIndex) => ({ partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: null, errorCode: DENIED })) }));
    return { request: { ...request, topics: request.topics.filter((topic) => !denied.includes(topic)) }, complete: (response) => ({ ...response, topics: [...response.topics, ...refused] }) };
  }

  createPartitions(request: CreatePartitionsRequest): Authorized<CreatePartitionsRequest, CreatePartitionsResponse> {
    const denied = request.topics.filter((topic) => !this.topic('alter', topic.name));
    const refused = denied.map((topic) => ({ name: topic.name, errorCode: DENIED, errorMessage: AUTHORIZATION_FAILED_MESSAGE }));
    return { request: { ...request, topics: request.topics.filter((topic) => !denied.includes(topic)) }, complete: (response) => ({ ...response, results: [...response.results, ...refused] }) };
  }

  /** AlterConfigs and IncrementalAlterConfigs (same bodies). */
  alterConfigs(request: AlterConfigsRequest): Authorized<AlterConfigsRequest, AlterConfigsResponse> {
    const verdicts = request.resources.map((resource) => ({ resource, errorCode: this.configResourceDenial('alter', resource.resourceType, resource.resourceName) }));
    const refused = verdicts.flatMap(({ resource, errorCode }) => (errorCode === undefined ? [] : [{ errorCode, errorMessage: AUTHORIZATION_FAILED_MESSAGE, resourceType: resource.resourceType, resourceName: resource.resourceName }]));
    const allowed = verdicts.filter(({ errorCode }) => errorCode === undefined).map(({ resource }) => resource);
    return { request: { ...request, resources: allowed }, complete: (response) => ({ ...response, responses: [...response.responses, ...refused] }) };
  }

  describeConfigs(request: DescribeConfigsRequest): Authorized<DescribeConfigsRequest, DescribeConfigsResponse> {
    const verdicts = request.resources.map((resource) => ({ resource, errorCode: this.configResourceDenial('describe', resource.resourceType, resource.resourceName) }));
    const refused = verdicts.flatMap(({ resource, errorCode }) => (errorCode === undefined ? [] : [{ errorCode, errorMessage: AUTHORIZATION_FAILED_MESSAGE, resourceType: resource.resourceType, resourceName: resource.resourceName, configs: [] }]));
    const allowed = verdicts.filter(({ errorCode }) => errorCode === undefined).map(({ resource }) => resource);
    return { request: { ...request, resources: allowed }, complete: (response) => ({ ...response, results: [...response.results, ...refused] }) };
  }

  deleteRecords(request: DeleteRecordsRequest): Authorized<DeleteRecordsRequest, DeleteRecordsResponse> {
    const denied = request.topics.filter((topic) => !this.topic('delete', topic.name));
    const refused = denied.map((topic) => ({ name: topic.name, partitions: topic.partitions.map(({ partitionIndex }) => ({ partitionIndex, lowWatermark: -1n, errorCode: DENIED })) }));
    return { request: { ...request, topics: request.topics.filter((topic) => !denied.includes(topic)) }, complete: (response) => ({ ...response, topics: [...response.topics, ...refused] }) };
  }

  deleteGroups(request: DeleteGroupsRequest): Authorized<DeleteGroupsRequest, DeleteGroupsResponse> {
    const denied = request.groupsNames.filter((groupId) => !this.group('delete', groupId));
    const refused = denied.map((groupId) => ({ groupId, errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED }));
    return { request: { groupsNames: request.groupsNames.filter((groupId) => !denied.includes(groupId)) }, complete: (response) => ({ ...response, results: [...response.results, ...refused] }) };
  }

  offsetForLeaderEpoch(request: OffsetForLeaderEpochRequest): Authorized<OffsetForLeaderEpochRequest, OffsetForLeaderEpochResponse> {
    const follower = request.replicaId >= 0;
    const denied = request.topics.filter((topic) => (follower ? !this.isSuperUser : !this.topic('describe', topic.topic)));
    const errorCode = follower ? ErrorCode.CLUSTER_AUTHORIZATION_FAILED : DENIED;
    const refused = denied.map((topic) => ({ topic: topic.topic, partitions: topic.partitions.map(({ partition }) => ({ errorCode, partition, leaderEpoch: -1, endOffset: -1n })) }));
    return { request: { ...request, topics: request.topics.filter((topic) => !denied.includes(topic)) }, complete: (response) => ({ ...response, topics: [...response.topics, ...refused] }) };
  }
}
