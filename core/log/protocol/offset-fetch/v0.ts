/** OffsetFetch v0 (see codec.ts for what changes between versions). */
import { offsetFetchCodec } from './codec.js';

export const offsetFetchV0 = offsetFetchCodec(0);
