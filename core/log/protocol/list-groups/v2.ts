/** ListGroups v2 (see codec.ts for what changes between versions). */
import { listGroupsCodec } from './codec.js';

export const listGroupsV2 = listGroupsCodec(2);
