/** OffsetCommit v1 (see codec.ts for what changes between versions). */
import { offsetCommitCodec } from './codec.js';

export const offsetCommitV1 = offsetCommitCodec(1);
