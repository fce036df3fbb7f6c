/** OffsetFetch v5 (see codec.ts for what changes between versions). */
import { offsetFetchCodec } from './codec.js';

export const offsetFetchV5 = offsetFetchCodec(5);
