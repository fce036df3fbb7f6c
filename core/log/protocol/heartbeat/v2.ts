/** Heartbeat v2 (see codec.ts for what changes between versions). */
import { heartbeatCodec } from './codec.js';

export const heartbeatV2 = heartbeatCodec(2);
