/** JoinGroup v4 (see codec.ts for what changes between versions). */
import { joinGroupCodec } from './codec.js';

export const joinGroupV4 = joinGroupCodec(4);
