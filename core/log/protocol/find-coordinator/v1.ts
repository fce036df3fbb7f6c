/** FindCoordinator v1 (see codec.ts for what changes between versions). */
import { findCoordinatorCodec } from './codec.js';

export const findCoordinatorV1 = findCoordinatorCodec(1);
