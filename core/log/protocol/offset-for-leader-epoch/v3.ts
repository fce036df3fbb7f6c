/** OffsetForLeaderEpoch v3: the request starts with replica_id (a follower's broker id, -1 for a
 * consumer); the response is as v2. */
import { offsetForLeaderEpochCodec } from './codec.js';
import { readPartitionResponseV1, readPartitionV2, writePartitionResponseV1, writePartitionV2 } from './fields.js';

export const offsetForLeaderEpochV3 = offsetForLeaderEpochCodec(3, {
  writePartition: writePartitionV2,
  readPartition: readPartitionV2,
  writePartitionResponse: writePartitionResponseV1,
  readPartitionResponse: readPartitionResponseV1,
});
