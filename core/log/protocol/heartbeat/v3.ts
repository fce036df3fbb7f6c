/** Heartbeat v3 (see codec.ts for what changes between versions). */
import { heartbeatCodec } from './codec.js';

export const heartbeatV3 = heartbeatCodec(3);
