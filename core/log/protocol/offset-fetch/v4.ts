/** OffsetFetch v4 (see codec.ts for what changes between versions). */
import { offsetFetchCodec } from './codec.js';

export const offsetFetchV4 = offsetFetchCodec(4);
