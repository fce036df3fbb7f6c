/** OffsetCommit v2 (see codec.ts for what changes between versions). */
import { offsetCommitCodec } from './codec.js';

export const offsetCommitV2 = offsetCommitCodec(2);
