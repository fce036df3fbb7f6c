/** JoinGroup v2 (see codec.ts for what changes between versions). */
import { joinGroupCodec } from './codec.js';

export const joinGroupV2 = joinGroupCodec(2);
