/** SyncGroup v1 (see codec.ts for what changes between versions). */
import { syncGroupCodec } from './codec.js';

export const syncGroupV1 = syncGroupCodec(1);
