/** LeaveGroup v3 (see codec.ts for what changes between versions). */
import { leaveGroupCodec } from './codec.js';

export const leaveGroupV3 = leaveGroupCodec(3);
