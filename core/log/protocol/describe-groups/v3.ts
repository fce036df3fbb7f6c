/** DescribeGroups v3 (see codec.ts for what changes between versions). */
import { describeGroupsCodec } from './codec.js';

export const describeGroupsV3 = describeGroupsCodec(3);
