/** Produce v4: wire-identical to v3; the client must additionally handle KAFKA_STORAGE_ERROR. */
import { produceV3 } from './v3.js';

export const produceV4 = { ...produceV3, apiVersion: 4 };
