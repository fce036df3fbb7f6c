/** ApiVersions v2: wire-identical to v1 (only the broker's throttling behaviour changed, KIP-219). */
import { apiVersionsV1 } from './v1.js';

export const apiVersionsV2 = { ...apiVersionsV1, apiVersion: 2 };
