/** CreatePartitions v1: wire-identical to v0 (the broker answers before throttling on quota violation). */
import { createPartitionsV0 } from './v0.js';

export const createPartitionsV1 = { ...createPartitionsV0, apiVersion: 1 };
