/**
 * ListOffsets v0. Request: replica_id [topics: name [partitions: index timestamp max_num_offsets]].
 * Response: [topics: name [partitions: index error_code [old_style_offsets]]].
 */
import { listOffsetsCodec } from './codec.js';
import { readPartitionResponseV0, readPartitionV0, writePartitionResponseV0, writePartitionV0 } from './fields.js';

export const listOffsetsV0 = listOffsetsCodec(0, {
  writePartition: writePartitionV0,
  readPartition: readPartitionV0,
  writePartitionResponse: writePartitionResponseV0,
  readPartitionResponse: readPartitionResponseV0,
});
