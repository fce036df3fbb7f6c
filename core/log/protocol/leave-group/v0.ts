/** LeaveGroup v0 (see codec.ts for what changes between versions). */
import { leaveGroupCodec } from './codec.js';

export const leaveGroupV0 = leaveGroupCodec(0);
