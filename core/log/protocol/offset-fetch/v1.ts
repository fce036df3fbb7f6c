/** OffsetFetch v1 (see codec.ts for what changes between versions). */
import { offsetFetchCodec } from './codec.js';

export const offsetFetchV1 = offsetFetchCodec(1);
