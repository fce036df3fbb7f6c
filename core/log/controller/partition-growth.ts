/**
 * Growing a topic's partition count (CreatePartitions) through coord, as ZooKeeper-era Kafka
 * did: the topic's assignment znode is rewritten with the new partitions appended (a conditional
 * setData on the version read, so two growers cannot overwrite each other) and their partition
 * parents are created in the same multi. The controller then creates the new partitions' states
 * (leader = first live replica) and the replicas' brokers open their logs, exactly as for a new
 * topic. Existing partitions are never moved.
 */
import type { CoordClient, MultiOp } from '../../coord/client/coord-client.js';
import { ZooKeeperError } from '../../coord/client/errors.js';
import { decodeAssignment, encodeAssignment, partitionsPath, topicPath, type ReplicaAssignment } from './partition-state.js';

export class PartitionGrowthConflictError extends Error {
  readonly code = 'CONCURRENT_TOPIC_CHANGE';
  constructor(readonly topic: string) {
    super(`topic '${topic}' changed while its partitions were being added; describe it and try again`);
    this.name = 'PartitionGrowthConflictError';
  }
}

/** Appends `added` to the topic's assignment, provided it still has `currentCount` partitions. */
export async function addPartitions(client: CoordClient, topic: string, currentCount: number, added: ReplicaAssignment): Promise<void> {
  const { data, stat } = await client.getData(topicPath(topic));
  const assignment = decodeAssignment(topicPath(topic), data);
  if (assignment.length !== currentCount) throw new PartitionGrowthConflictError(topic);
  const grown = [...assignment, ...added];
  const ops: MultiOp[] = [
    { op: 'setData', path: topicPath(topic), data: encodeAssignment(grown), version: stat.version },
    ...added.map((_, index): MultiOp => ({ op: 'create', path: `${partitionsPath(topic)}/${currentCount + index}` })),
  ];
  try {
    await client.multi(ops);
  } catch (error) {
    if (error instanceof ZooKeeperError) throw new PartitionGrowthConflictError(topic);
    throw error;
  }
}
