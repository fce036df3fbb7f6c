/** Fetch v5: request partitions gain log_start_offset; response partitions gain log_start_offset. */
import { readPartitionV5, writePartitionV5 } from './fields.js';
import { preSessionFetchCodec } from './pre-session.js';

export const fetchV5 = preSessionFetchCodec(5, writePartitionV5, readPartitionV5, { logStartOffset: true, preferredReadReplica: false });
