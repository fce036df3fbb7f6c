/** JoinGroup v3 (see codec.ts for what changes between versions). */
import { joinGroupCodec } from './codec.js';

export const joinGroupV3 = joinGroupCodec(3);
