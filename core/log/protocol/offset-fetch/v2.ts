/** OffsetFetch v2 (see codec.ts for what changes between versions). */
import { offsetFetchCodec } from './codec.js';

export const offsetFetchV2 = offsetFetchCodec(2);
