/** JoinGroup v0 (see codec.ts for what changes between versions). */
import { joinGroupCodec } from './codec.js';

export const joinGroupV0 = joinGroupCodec(0);
