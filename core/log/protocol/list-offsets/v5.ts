/** ListOffsets v5: wire-identical to v4; the broker may answer OFFSET_NOT_AVAILABLE. */
import { listOffsetsV4 } from './v4.js';

export const listOffsetsV5 = { ...listOffsetsV4, apiVersion: 5 };
