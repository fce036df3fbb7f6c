/** Fetch v8: wire-identical to v7 (the broker answers before throttling on quota violation). */
import { readPartitionV5, writePartitionV5 } from './fields.js';
import { sessionFetchCodec } from './session.js';

export const fetchV8 = sessionFetchCodec({ apiVersion: 8, writePartition: writePartitionV5, readPartition: readPartitionV5, hasRack: false });
