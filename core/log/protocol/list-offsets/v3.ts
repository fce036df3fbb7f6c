/** ListOffsets v3: wire-identical to v2 (the broker answers before throttling on quota violation). */
import { listOffsetsV2 } from './v2.js';

export const listOffsetsV3 = { ...listOffsetsV2, apiVersion: 3 };
