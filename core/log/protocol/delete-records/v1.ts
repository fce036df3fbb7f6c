/** DeleteRecords v1: wire-identical to v0 (the broker answers before throttling on quota violation). */
import { deleteRecordsV0 } from './v0.js';

export const deleteRecordsV1 = { ...deleteRecordsV0, apiVersion: 1 };
