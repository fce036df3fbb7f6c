/** OffsetForLeaderEpoch v1: response partitions gain leader_epoch before end_offset (KIP-279). */
import { offsetForLeaderEpochCodec } from './codec.js';
import { readPartitionResponseV1, readPartitionV0, writePartitionResponseV1, writePartitionV0 } from './fields.js';

export const offsetForLeaderEpochV1 = offsetForLeaderEpochCodec(1, {
  writePartition: writePartitionV0,
  readPartition: readPartitionV0,
  writePartitionResponse: writePartitionResponseV1,
  readPartitionResponse: readPartitionResponseV1,
});
