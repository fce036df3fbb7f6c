/** DescribeGroups v2 (see codec.ts for what changes between versions). */
import { describeGroupsCodec } from './codec.js';

export const describeGroupsV2 = describeGroupsCodec(2);
