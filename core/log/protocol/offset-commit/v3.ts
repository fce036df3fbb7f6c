/** OffsetCommit v3 (see codec.ts for what changes between versions). */
import { offsetCommitCodec } from './codec.js';

export const offsetCommitV3 = offsetCommitCodec(3);
