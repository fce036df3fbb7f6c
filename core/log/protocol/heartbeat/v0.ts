/** Heartbeat v0 (see codec.ts for what changes between versions). */
import { heartbeatCodec } from './codec.js';

export const heartbeatV0 = heartbeatCodec(0);
