/** Fetch v6: wire-identical to v5; the client must handle KAFKA_STORAGE_ERROR. */
import { fetchV5 } from './v5.js';

export const fetchV6 = { ...fetchV5, apiVersion: 6 };
