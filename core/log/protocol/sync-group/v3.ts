/** SyncGroup v3 (see codec.ts for what changes between versions). */
import { syncGroupCodec } from './codec.js';

export const syncGroupV3 = syncGroupCodec(3);
