/** SyncGroup v2 (see codec.ts for what changes between versions). */
import { syncGroupCodec } from './codec.js';

export const syncGroupV2 = syncGroupCodec(2);
