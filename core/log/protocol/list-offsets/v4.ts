/** ListOffsets v4: request partitions gain current_leader_epoch; response partitions gain leader_epoch. */
import { listOffsetsCodec } from './codec.js';
import { readPartitionResponseV4, readPartitionV4, writePartitionResponseV4, writePartitionV4 } from './fields.js';

export const listOffsetsV4 = listOffsetsCodec(4, {
  writePartition: writePartitionV4,
  readPartition: readPartitionV4,
  writePartitionResponse: writePartitionResponseV4,
  readPartitionResponse: readPartitionResponseV4,
});
