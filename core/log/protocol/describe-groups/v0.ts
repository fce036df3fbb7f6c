/** DescribeGroups v0 (see codec.ts for what changes between versions). */
import { describeGroupsCodec } from './codec.js';

export const describeGroupsV0 = describeGroupsCodec(0);
