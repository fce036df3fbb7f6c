/**
 * Creating and deleting topics through coord, as ZooKeeper-era Kafka's admin path did: any
 * broker writes the replica assignment to /brokers/topics/<topic> (round robin over the live
 * brokers); the controller sees it and creates the partition states; each replica's broker then
 * opens its log. Deletion removes the topic's znodes in one multi; every broker drops its logs
 * when the topic leaves its view.
 */
import type { CoordClient, MultiOp } from '../../coord/client/coord-client.js';
import { ZooKeeperError } from '../../coord/client/errors.js';
import { ErrorCode } from '../../coord/zookeeper-constants.js';
import { assignReplicas, randomAssignmentChoice } from './assignment.js';
import type { ClusterView } from './cluster-view.js';
import { NO_LEADER, encodeAssignment, partitionStatePath, partitionsPath, topicPath, type ReplicaAssignment } from './partition-state.js';
import { readTopicConfigs, writeTopicConfigs, type TopicConfigs } from './topic-configs.js';

export class TopicExistsError extends Error {
  readonly code = 'TOPIC_ALREADY_EXISTS';
  constructor(readonly topic: string) {
    super(`topic '${topic}' already exists`);
    this.name = 'TopicExistsError';
  }
}

export class TopicAdmin {
  constructor(
    readonly client: CoordClient,
    private readonly view: ClusterView,
  ) {}

  /** The assignment a creation would make now (throws ReplicationFactorError if too few brokers live). */
  plan(partitions: number, replicationFactor: number): ReplicaAssignment {
    const live = [...this.view.liveBrokerIds()];
    return assignReplicas(live, partitions, replicationFactor, randomAssignmentChoice(live.length));
  }

  /** Creates the topic with its config overrides (topic-configs.ts), written just before the
   * assignment: brokers never see the topic without its configs. */
  async create(topic: string, assignment: ReplicaAssignment, configs: TopicConfigs = {}): Promise<void> {
    if ((await this.client.exists(topicPath(topic))) !== null) throw new TopicExistsError(topic);
    await writeTopicConfigs(this.client, topic, configs);
    // The partition parents come with the topic, so the controller only ever creates a state
    // under an existing parent: a state for a topic deleted meanwhile fails with NONODE.
    const ops: MultiOp[] = [
      { op: 'create', path: topicPath(topic), data: encodeAssignment(assignment) },
      { op: 'create', path: partitionsPath(topic) },
      ...assignment.map((_, p): MultiOp => ({ op: 'create', path: `${partitionsPath(topic)}/${p}` })),
    ];
    try {
      await this.client.multi(ops);
    } catch (error) {
      if (error instanceof ZooKeeperError && (await this.client.exists(topicPath(topic))) !== null) throw new TopicExistsError(topic);
      throw error;
    }
  }

  /** The topic's config overrides (none stored: {}). */
  configs(topic: string): Promise<TopicConfigs> {
    return readTopicConfigs(this.client, topic);
  }

  /** Whether every partition of the topic has a leader in this broker's view (within the timeout). */
  waitForLeaders(topic: string, timeoutMs: number): Promise<boolean> {
    return this.view.waitFor((snapshot) => {
      const view = snapshot.topics.get(topic);
      return view !== undefined && view.assignment.every((_, p) => (view.states.get(p)?.state.leader ?? NO_LEADER) !== NO_LEADER);
    }, timeoutMs);
  }

  /** Deletes the topic's znodes; false when there was no such topic. */
  async delete(topic: string): Promise<boolean> {
    for (;;) {
      let partitionNodes: string[];
      try {
        partitionNodes = await this.client.getChildren(partitionsPath(topic));
      } catch (error) {
        if (!(error instanceof ZooKeeperError && error.code === ErrorCode.NONODE)) throw error;
        partitionNodes = [];
      }
      const ops: MultiOp[] = [];
      for (const p of partitionNodes) {
        const states = await this.client.getChildren(`${partitionsPath(topic)}/${p}`).catch(() => [] as string[]);
        if (states.includes('state')) ops.push({ op: 'delete', path: partitionStatePath(topic, Number(p)) });
        ops.push({ op: 'delete', path: `${partitionsPath(topic)}/${p}` });
      }
      if (partitionNodes.length > 0) ops.push({ op: 'delete', path: partitionsPath(topic) });
      ops.push({ op: 'delete', path: topicPath(topic) });
      try {
        await this.client.multi(ops);
        return true;
      } catch (error) {
        if (!(error instanceof ZooKeeperError)) throw error;
        // NONODE on the topic itself: nothing to delete. Otherwise the controller created a
        // partition state meanwhile (NOTEMPTY/NONODE on a child): list again and retry.
        const exists = await this.client.exists(topicPath(topic));
        if (exists === null) return false;
      }
    }
  }
}
