/** ListGroups v1 (see codec.ts for what changes between versions). */
import { listGroupsCodec } from './codec.js';

export const listGroupsV1 = listGroupsCodec(1);
