/** FindCoordinator v2 (see codec.ts for what changes between versions). */
import { findCoordinatorCodec } from './codec.js';

export const findCoordinatorV2 = findCoordinatorCodec(2);
