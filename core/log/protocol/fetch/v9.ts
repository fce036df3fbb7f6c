/** Fetch v9: request partitions gain current_leader_epoch before fetch_offset (KIP-320). */
import { readPartitionV9, writePartitionV9 } from './fields.js';
import { sessionFetchCodec } from './session.js';

export const fetchV9 = sessionFetchCodec({ apiVersion: 9, writePartition: writePartitionV9, readPartition: readPartitionV9, hasRack: false });
