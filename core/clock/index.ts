/**
 * core/clock: hybrid logical clocks (last-writer-wins ordering) and version vectors / dotted
 * version vector sets (causality with siblings). Pure data and functions; clocks are injected.
 * The DVV set operations are exported as the namespace `dvv` because their names (sync, join,
 * values) are generic.
 */
export * from './errors.js';
export * from './hybrid-logical-clock.js';
export * from './limits.js';
export * from './monotonic-clock.js';
export * from './version-vector.js';
export * as dvv from './dotted-version-vector.js';
export type { DottedValue, DvvEntry, DvvSet, DvvSetJson, ResolvedWrite, UpdateOptions } from './dotted-version-vector.js';
