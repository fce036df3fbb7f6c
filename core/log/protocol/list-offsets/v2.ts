/** ListOffsets v2: request gains isolation_level after replica_id; response starts with throttle_time_ms. */
import { listOffsetsCodec } from './codec.js';
import { readPartitionResponseV1, readPartitionV1, writePartitionResponseV1, writePartitionV1 } from './fields.js';

export const listOffsetsV2 = listOffsetsCodec(2, {
  writePartition: writePartitionV1,
  readPartition: readPartitionV1,
  writePartitionResponse: writePartitionResponseV1,
  readPartitionResponse: readPartitionResponseV1,
});
