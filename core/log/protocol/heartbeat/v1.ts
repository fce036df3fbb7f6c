/** Heartbeat v1 (see codec.ts for what changes between versions). */
import { heartbeatCodec } from './codec.js';

export const heartbeatV1 = heartbeatCodec(1);
