/** JoinGroup v5 (see codec.ts for what changes between versions). */
import { joinGroupCodec } from './codec.js';

export const joinGroupV5 = joinGroupCodec(5);
