/** ListGroups v0 (see codec.ts for what changes between versions). */
import { listGroupsCodec } from './codec.js';

export const listGroupsV0 = listGroupsCodec(0);
