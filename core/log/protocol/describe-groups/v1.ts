/** DescribeGroups v1 (see codec.ts for what changes between versions). */
import { describeGroupsCodec } from './codec.js';

export const describeGroupsV1 = describeGroupsCodec(1);
