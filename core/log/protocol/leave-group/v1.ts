/** LeaveGroup v1 (see codec.ts for what changes between versions). */
import { leaveGroupCodec } from './codec.js';

export const leaveGroupV1 = leaveGroupCodec(1);
