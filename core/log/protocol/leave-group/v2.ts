/** LeaveGroup v2 (see codec.ts for what changes between versions). */
import { leaveGroupCodec } from './codec.js';

export const leaveGroupV2 = leaveGroupCodec(2);
