/** DeleteGroups v1: wire-identical to v0 (the broker answers before throttling on quota violation). */
import { deleteGroupsV0 } from './v0.js';

export const deleteGroupsV1 = { ...deleteGroupsV0, apiVersion: 1 };
