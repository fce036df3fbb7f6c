/** OffsetCommit v5 (see codec.ts for what changes between versions). */
import { offsetCommitCodec } from './codec.js';

export const offsetCommitV5 = offsetCommitCodec(5);
