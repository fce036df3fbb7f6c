/** Produce v6: wire-identical to v5 (the broker answers before throttling on quota violation). */
import { produceV5 } from './v5.js';

export const produceV6 = { ...produceV5, apiVersion: 6 };
