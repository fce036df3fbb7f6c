/** FindCoordinator v0 (see codec.ts for what changes between versions). */
import { findCoordinatorCodec } from './codec.js';

export const findCoordinatorV0 = findCoordinatorCodec(0);
