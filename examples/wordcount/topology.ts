/**
 * The word count of `barista dev` as a topology:
 *
 *   lines (LogSpout over a topic of text lines)
 *     → split (SplitSentenceBolt: the shared tokenizer, words tagged with their source)
 *     → count (WordCountBolt, fieldsGrouping on 'word')
 *     → [failures (FailingBolt, tests only)]
 *     → sink: either `collect` (CollectSink, in-process, for tests) or `log` (deltas → LogSinkBolt).
 *
 * Guarantees: at-least-once. Every line is processed until all its words reached the sink, and
 * the spout commits an offset only below fully processed lines; a failure or crash replays lines,
 * whose words are then counted again. The collect sink therefore sees counts ≥ the true counts.
 * The log sink writes one delta per word occurrence keyed by its source (word-deltas.ts), so a
 * reader deduplicating by key gets exactly the true counts whatever was replayed.
 */
import type { KafkaEndpoint } from '../../core/log/client/kafka-connection.js';
import type { LogRecord } from '../../core/log/records/record-decoder.js';
import type { AnyBolt } from '../../core/topology/api/bolt.js';
import type { Tuple } from '../../core/topology/api/tuple.js';
import { TopologyBuilder } from '../../core/topology/builder/topology-builder.js';
import type { TopologyDefinition } from '../../core/topology/builder/topology-definition.js';
import { CollectSink, type CollectedTuples } from '../../bolts/collect-sink.js';
import { mapBolt } from '../../bolts/functional-bolts.js';
import { LogSinkBolt } from '../../bolts/log-sink-bolt.js';
import { LogSpout } from '../../spouts/log-spout.js';
import type { OffsetStore } from '../../spouts/offset-store.js';
import { FailingBolt } from './failing-bolt.js';
import { SOURCE_FIELDS, sourceNumber } from './source-fields.js';
import { SourcedSplitSentenceBolt } from './sourced-split-sentence-bolt.js';
import { SourcedWordCountBolt } from './sourced-word-count-bolt.js';
import { sourceKey, type WordDelta } from './word-deltas.js';

/** Component ids, for stats and logs. */
export const COMPONENT = { lines: 'lines', split: 'split', count: 'count', failures: 'failures', deltas: 'deltas', sink: 'sink' } as const;

/** What the count bolt emits, and so what the collect sink stores. */
export const COUNT_FIELDS = ['word', 'count', ...SOURCE_FIELDS] as const;

export type WordCountSink =
  /** Every (word, count, partition, offset, position) into `store`, in this process. */
  | { readonly kind: 'collect'; readonly store: CollectedTuples }
  /** One record per word occurrence into `topic`: key `<partition>/<offset>/<position>`, value {"word","delta":1}. */
  | { readonly kind: 'log'; readonly brokers: readonly string[]; readonly topic: string; readonly lingerMs?: number; readonly maxBatchRecords?: number };

export interface WordCountTopologyOptions {
  /** The broker leading the input topic's partitions. */
  readonly bootstrap: KafkaEndpoint;
  /** Input topic: one line of text per record value. */
  readonly topic: string;
  readonly offsetStore: OffsetStore;
  readonly sink: WordCountSink;
  /** How often the spout commits offsets (default: the spout's, 1000 ms). */
  readonly commitIntervalMs?: number;
  /** Records the spout emits per nextTuple call (default: the spout's, 64). */
  readonly emitsPerCall?: number;
  /** Tasks of the split and count bolts (default 2 each). */
  readonly splitters?: number;
  readonly counters?: number;
  /** Fails this fraction of counted words before the sink (seeded), to exercise replays. */
  readonly failures?: { readonly rate: number; readonly seed: number };
}

/** A record → (partition, offset, line); a record without a value is an empty line. */
function lineOf(record: LogRecord, partition: number): readonly unknown[] {
  return [partition, record.offset, record.value?.toString('utf8') ?? ''];
}

/** (word, count, partition, offset, position) → (key, delta) for the log sink. */
function deltaRecordOf(input: Tuple): readonly [string, WordDelta] {
  const source = {
    partition: sourceNumber('deltas', input, 'partition'),
    offset: sourceNumber('deltas', input, 'offset'),
    position: sourceNumber('deltas', input, 'position'),
  };
  return [sourceKey(source), { word: input.getStringByField('word'), delta: 1 }];
}

export function buildWordCountTopology(options: WordCountTopologyOptions): TopologyDefinition {
  const builder = new TopologyBuilder();
  const spout = new LogSpout({
    bootstrap: options.bootstrap,
    topic: options.topic,
    offsetStore: options.offsetStore,
    startFrom: 'earliest',
    fields: ['partition', 'offset', 'line'],
    toValues: lineOf,
    ...(options.commitIntervalMs !== undefined ? { commitIntervalMs: options.commitIntervalMs } : {}),
    ...(options.emitsPerCall !== undefined ? { emitsPerCall: options.emitsPerCall } : {}),
  });
  builder.setSpout(COMPONENT.lines, spout, 1);
  builder.setBolt(COMPONENT.split, new SourcedSplitSentenceBolt({ inputField: 'line' }), options.splitters ?? 2).shuffleGrouping(COMPONENT.lines);
  builder.setBolt(COMPONENT.count, new SourcedWordCountBolt(), options.counters ?? 2).fieldsGrouping(COMPONENT.split, ['word']);
  let upstream: string = COMPONENT.count;
  if (options.failures !== undefined) {
    const failing = new FailingBolt({ fields: COUNT_FIELDS, failureRate: options.failures.rate, seed: options.failures.seed });
    builder.setBolt(COMPONENT.failures, failing, 1).localOrShuffleGrouping(upstream);
    upstream = COMPONENT.failures;
  }
  addSink(builder, upstream, options.sink);
  return builder.createTopology();
}

function addSink(builder: TopologyBuilder, upstream: string, sink: WordCountSink): void {
  if (sink.kind === 'collect') {
    builder.setBolt(COMPONENT.sink, new CollectSink(sink.store), 1).localOrShuffleGrouping(upstream);
    return;
  }
  builder.setBolt(COMPONENT.deltas, mapBolt(['key', 'delta'], deltaRecordOf), 1).localOrShuffleGrouping(upstream);
  const logSink: AnyBolt = new LogSinkBolt({
    brokers: sink.brokers,
    topic: sink.topic,
    keyField: 'key',
    valueField: 'delta',
    clientId: 'wordcount-sink',
    ...(sink.lingerMs !== undefined ? { lingerMs: sink.lingerMs } : {}),
    ...(sink.maxBatchRecords !== undefined ? { maxBatchRecords: sink.maxBatchRecords } : {}),
  });
  builder.setBolt(COMPONENT.sink, logSink, 1).localOrShuffleGrouping(COMPONENT.deltas);
}

/** The highest count the collect sink received per word: the counters' final totals. */
export function latestCounts(values: readonly (readonly unknown[])[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [word, count] of values) {
    if (typeof word !== 'string' || typeof count !== 'number') continue;
    counts.set(word, Math.max(counts.get(word) ?? 0, count));
  }
  return counts;
}
