/** Fetch v10: wire-identical to v9; the client accepts ZStandard-compressed batches (KIP-110). */
import { readPartitionV9, writePartitionV9 } from './fields.js';
import { sessionFetchCodec } from './session.js';

export const fetchV10 = sessionFetchCodec({ apiVersion: 10, writePartition: writePartitionV9, readPartition: readPartitionV9, hasRack: false });
