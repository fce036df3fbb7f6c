/** OffsetCommit v4 (see codec.ts for what changes between versions). */
import { offsetCommitCodec } from './codec.js';

export const offsetCommitV4 = offsetCommitCodec(4);
