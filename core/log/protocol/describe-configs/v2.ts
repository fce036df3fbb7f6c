/** DescribeConfigs v2: wire-identical to v1 (the broker answers before throttling on quota violation). */
import { describeConfigsV1 } from './v1.js';

export const describeConfigsV2 = { ...describeConfigsV1, apiVersion: 2 };
