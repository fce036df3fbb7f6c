/** OffsetFetch v3 (see codec.ts for what changes between versions). */
import { offsetFetchCodec } from './codec.js';

export const offsetFetchV3 = offsetFetchCodec(3);
