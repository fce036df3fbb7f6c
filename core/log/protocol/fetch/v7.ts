/**
 * Fetch v7: incremental fetch sessions. Request adds session_id session_epoch after
 * isolation_level and [forgotten_topics: name [partition]] at the end; response adds
 * error_code session_id after throttle_time_ms. Partitions as v5.
 */
import { readPartitionV5, writePartitionV5 } from './fields.js';
import { sessionFetchCodec } from './session.js';

export const fetchV7 = sessionFetchCodec({ apiVersion: 7, writePartition: writePartitionV5, readPartition: readPartitionV5, hasRack: false });
