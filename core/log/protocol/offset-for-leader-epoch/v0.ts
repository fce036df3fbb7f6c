/**
 * OffsetForLeaderEpoch v0. Request: [topics: name [partitions: partition leader_epoch]].
 * Response: [topics: name [partitions: error_code partition end_offset]].
 */
import { offsetForLeaderEpochCodec } from './codec.js';
import { readPartitionResponseV0, readPartitionV0, writePartitionResponseV0, writePartitionV0 } from './fields.js';

export const offsetForLeaderEpochV0 = offsetForLeaderEpochCodec(0, {
  writePartition: writePartitionV0,
  readPartition: readPartitionV0,
  writePartitionResponse: writePartitionResponseV0,
  readPartitionResponse: readPartitionResponseV0,
});
