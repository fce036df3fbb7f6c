/** Metadata v6: wire-identical to v5 (the broker answers before throttling on quota violation). */
import { metadataV5 } from './v5.js';

export const metadataV6 = { ...metadataV5, apiVersion: 6 };
