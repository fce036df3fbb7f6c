/** The ready-made bolts (one per file; see bolts/README.md) and what they share. */
export * from './errors.js';
export * from './limits.js';
export { SplitSentenceBolt, type SplitSentenceBoltOptions } from './split-sentence-bolt.js';
export { WordCountBolt, type WordCountBoltOptions } from './word-count-bolt.js';
export { SlotBasedCounter, SlidingWindowCounter, ModificationTimeTracker } from './slot-based-counter.js';
export { Rankings, compareRankables, isRankableObject, toRankable, type Rankable, type RankableObject } from './rankings.js';
export { RankerBolt, type RankerBoltOptions } from './ranker-bolt.js';
export { RollingCountBolt, type RollingCountBoltOptions } from './rolling-count-bolt.js';
export { IntermediateRankingsBolt, type IntermediateRankingsBoltOptions } from './intermediate-rankings-bolt.js';
export { TotalRankingsBolt, type TotalRankingsBoltOptions } from './total-rankings-bolt.js';
export * from './functional-bolts.js';
export { CollectSink, CollectedTuples, type CollectedTuple } from './collect-sink.js';
export { PrintSink, formatAsJson, type PrintSinkOptions, type TupleFormatter } from './print-sink.js';
export { LogSinkBolt, encodeRecordValue, type LogSinkBoltOptions } from './log-sink-bolt.js';
export { ServingSink, HeldBackError, MAX_DELTAS_PER_APPLY, type ServingSinkOptions, type ViewDelta } from './serving-sink.js';
export { LineWordDeltasBolt, type LineWordDeltasBoltOptions } from './line-word-deltas-bolt.js';
export { ServingSinkBolt, DEFAULT_DELTA_FIELDS, type DeltaFields, type ServingSinkBoltOptions } from './serving-sink-bolt.js';
