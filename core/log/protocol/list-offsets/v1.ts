/**
 * ListOffsets v1: one offset per partition. Request partitions drop max_num_offsets; response
 * partitions carry timestamp offset instead of [old_style_offsets].
 */
import { listOffsetsCodec } from './codec.js';
import { readPartitionResponseV1, readPartitionV1, writePartitionResponseV1, writePartitionV1 } from './fields.js';

export const listOffsetsV1 = listOffsetsCodec(1, {
  writePartition: writePartitionV1,
  readPartition: readPartitionV1,
  writePartitionResponse: writePartitionResponseV1,
  readPartitionResponse: readPartitionResponseV1,
});
