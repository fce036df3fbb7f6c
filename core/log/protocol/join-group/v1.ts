/** JoinGroup v1 (see codec.ts for what changes between versions). */
import { joinGroupCodec } from './codec.js';

export const joinGroupV1 = joinGroupCodec(1);
