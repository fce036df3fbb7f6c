/** SyncGroup v0 (see codec.ts for what changes between versions). */
import { syncGroupCodec } from './codec.js';

export const syncGroupV0 = syncGroupCodec(0);
