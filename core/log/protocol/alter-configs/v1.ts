/** AlterConfigs v1: wire-identical to v0 (the broker answers before throttling on quota violation). */
import { alterConfigsV0 } from './v0.js';

export const alterConfigsV1 = { ...alterConfigsV0, apiVersion: 1 };
