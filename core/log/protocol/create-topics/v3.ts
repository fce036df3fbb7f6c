/** CreateTopics v3: wire-identical to v2 (the broker answers before throttling on quota violation). */
import { createTopicsV2 } from './v2.js';

export const createTopicsV3 = { ...createTopicsV2, apiVersion: 3 };
