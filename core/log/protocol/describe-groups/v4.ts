/** DescribeGroups v4 (see codec.ts for what changes between versions). */
import { describeGroupsCodec } from './codec.js';

export const describeGroupsV4 = describeGroupsCodec(4);
