/**
 * OffsetForLeaderEpoch (key 23): for each partition, the largest leader epoch <= the one asked
 * for and the offset where its data ends, from the partition log's leader epoch cache. A
 * follower truncates to that offset before fetching, so it never keeps records the leader does
 * not have (KIP-101); a consumer uses it to detect truncation after a leader change (KIP-320).
 *
 * Answered from memory (no disk access), by the leader only, and fenced on
 * current_leader_epoch: a follower that is behind or ahead of this leader's epoch must learn
 * the current state from coord before it truncates anything.
 */
import { ErrorCode, type OffsetForLeaderEpochPartitionResponse, type OffsetForLeaderEpochRequest, type OffsetForLeaderEpochResponse } from '../protocol/index.js';
import { settledLeaderReplica, type BrokerContext } from './handlers.js';

/** What Kafka answers for an unknown epoch or partition: UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET. */
const UNDEFINED = { leaderEpoch: -1, endOffset: -1n };

export async function handleOffsetForLeaderEpoch(context: BrokerContext, request: OffsetForLeaderEpochRequest): Promise<OffsetForLeaderEpochResponse> {
  const topics = await Promise.all(request.topics.map(async ({ topic, partitions }) => ({
    topic,
    partitions: await Promise.all(partitions.map(async ({ partition, leaderEpoch, currentLeaderEpoch }): Promise<OffsetForLeaderEpochPartitionResponse> => {
      const replica = await settledLeaderReplica(context, topic, partition);
      if (typeof replica === 'number') return { errorCode: replica, partition, ...UNDEFINED };
      if (currentLeaderEpoch >= 0 && currentLeaderEpoch !== replica.leaderEpoch) {
        return { errorCode: currentLeaderEpoch < replica.leaderEpoch ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH, partition, ...UNDEFINED };
      }
      const { epoch, endOffset } = replica.log.endOffsetForEpoch(leaderEpoch);
      return { errorCode: ErrorCode.NONE, partition, leaderEpoch: epoch, endOffset: BigInt(endOffset) };
    })),
  })));
  return { throttleTimeMs: 0, topics };
}
