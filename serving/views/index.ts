/** serving/views: Lambda views stored in a Keyspace — batch versions, realtime deltas, merged queries. */
export * from './errors.js';
export * from './limits.js';
export { alignCutOff, alignCutOffs, partitionName, type CutOffs, type LogPosition } from './log-position.js';
export type { PresentedValue, Monoid } from './monoids/monoid.js';
export { MONOID_SPECS, monoidFromSpec, registerMonoid, USER_MONOID_SPEC } from './monoids/registry.js';
export { checkMonoidLaws, type MonoidLaw, type MonoidLawViolation } from './monoids/laws.js';
export { HllSketch, hyperLogLogMonoid } from './monoids/hyperloglog.js';
export type { Extremum } from './monoids/extremum.js';
export type { Members } from './monoids/set-union.js';
export type { Counts } from './monoids/top-by-count.js';
export { ViewCatalog, type CreateViewOptions, type ViewDefinition, type ViewsOptions } from './catalog.js';
export type { BatchPointer, PublishedVersion } from './pointer.js';
export { BatchLoad, BatchViewWriter, type PublishResult } from './batch-view-writer.js';
export { RealtimeViewWriter, type ApplyOutcome, type PositionedDelta } from './realtime-view-writer.js';
export { ViewReader, type RankedKey, type ViewAnswer } from './view-reader.js';
