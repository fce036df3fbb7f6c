/**
 * Fetch v11: request ends with rack_id (KIP-392, fetch from follower); each partition response
 * gains preferred_read_replica after the aborted transactions.
 */
import { readPartitionV9, writePartitionV9 } from './fields.js';
import { sessionFetchCodec } from './session.js';

export const fetchV11 = sessionFetchCodec({ apiVersion: 11, writePartition: writePartitionV9, readPartition: readPartitionV9, hasRack: true });
