/**
 * Fetch v4: the first version that adds isolation_level and returns record batch v2.
 * Request: replica_id max_wait_ms min_bytes max_bytes isolation_level
 *          [topics: name [partitions: index fetch_offset partition_max_bytes]].
 * Response: throttle_time_ms [topics: name [partitions: index error_code high_watermark
 *           last_stable_offset [aborted_transactions] records]].
 */
import { readPartitionV4, writePartitionV4 } from './fields.js';
import { preSessionFetchCodec } from './pre-session.js';

export const fetchV4 = preSessionFetchCodec(4, writePartitionV4, readPartitionV4, { logStartOffset: false, preferredReadReplica: false });
