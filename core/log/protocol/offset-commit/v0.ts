/** OffsetCommit v0 (see codec.ts for what changes between versions). */
import { offsetCommitCodec } from './codec.js';

export const offsetCommitV0 = offsetCommitCodec(0);
