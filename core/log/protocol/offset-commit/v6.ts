/** OffsetCommit v6 (see codec.ts for what changes between versions). */
import { offsetCommitCodec } from './codec.js';

export const offsetCommitV6 = offsetCommitCodec(6);
