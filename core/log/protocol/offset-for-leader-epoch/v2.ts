/** OffsetForLeaderEpoch v2: request partitions gain current_leader_epoch (fencing, KIP-320);
 * the response starts with throttle_time_ms. */
import { offsetForLeaderEpochCodec } from './codec.js';
import { readPartitionResponseV1, readPartitionV2, writePartitionResponseV1, writePartitionV2 } from './fields.js';

export const offsetForLeaderEpochV2 = offsetForLeaderEpochCodec(2, {
  writePartition: writePartitionV2,
  readPartition: readPartitionV2,
  writePartitionResponse: writePartitionResponseV1,
  readPartitionResponse: readPartitionResponseV1,
});
