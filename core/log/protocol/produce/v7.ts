/** Produce v7: wire-identical to v6; announces that batches may be ZStandard-compressed (KIP-110). */
import { produceV5 } from './v5.js';

export const produceV7 = { ...produceV5, apiVersion: 7 };
