/** OffsetCommit v7 (see codec.ts for what changes between versions). */
import { offsetCommitCodec } from './codec.js';

export const offsetCommitV7 = offsetCommitCodec(7);
