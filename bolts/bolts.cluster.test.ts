/**
 * The ready-made bolts end to end on a real LocalCluster: word count (plain and under injected
 * failures), the rolling top-N chain, and the functional helpers with the print sink. Expected
 * results are recomputed from the generator's own values (GeneratorSpout.valuesOf), never from
 * what the topology produced.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { FailedException } from '../core/topology/api/errors.js';
import { TopologyBuilder } from '../core/topology/builder/topology-builder.js';
import { LocalCluster } from '../core/topology/runtime/local-cluster.js';
import { GeneratorSpout, GeneratorStats, randomFor } from '../spouts/generator-spout.js';
import { until } from '../test/support/until.js';
import { oracleWordCount } from '../test/support/word-count-oracle.js';
import { CollectedTuples, CollectSink } from './collect-sink.js';
import { filterBolt, flatMapBolt, mapBolt } from './functional-bolts.js';
import { IntermediateRankingsBolt } from './intermediate-rankings-bolt.js';
import { PrintSink } from './print-sink.js';
import { compareRankables, type Rankable } from './rankings.js';
import { RollingCountBolt } from './rolling-count-bolt.js';
import { SplitSentenceBolt } from './split-sentence-bolt.js';
import { TotalRankingsBolt } from './total-rankings-bolt.js';
import { WordCountBolt } from './word-count-bolt.js';

/** Sequence numbers acked by a generator spout, shared by its task copies (a class instance). */
class AckLog {
  readonly acked = new Map<number, number>();
}

class TrackedGeneratorSpout extends GeneratorSpout {
  constructor(
    options: ConstructorParameters<typeof GeneratorSpout>[0],
    readonly log: AckLog,
  ) {
    super(options);
  }

  override ack(sequence: number): void {
    super.ack(sequence);
    this.log.acked.set(sequence, (this.log.acked.get(sequence) ?? 0) + 1);
  }
}

/** A plain recount of everything the generator emits for sequence numbers 0..total-1. */
function recount(spout: GeneratorSpout, total: number): Map<string, number> {
  const text = Array.from({ length: total }, (_, sequence) => String(spout.valuesOf(sequence)[0])).join('\n');
  return oracleWordCount(text);
}

/** Latest (highest) running count per word seen by a sink after WordCountBolt. */
function latestCounts(store: CollectedTuples): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [word, count] of store.values()) counts.set(String(word), Math.max(counts.get(String(word)) ?? 0, Number(count)));
  return counts;
}

function sum(counts: ReadonlyMap<string, number>): number {
  return [...counts.values()].reduce((total, count) => total + count, 0);
}

let cluster: LocalCluster | undefined;
afterEach(async () => {
  await cluster?.shutdown();
  cluster = undefined;
});

describe('word count on a local cluster', () => {
  it('counts every generated word exactly once and acks every sentence tree', async () => {
    cluster = new LocalCluster();
    const stats = new GeneratorStats();
    const total = 500;
    const spout = new GeneratorSpout({ seed: 7, total, stats });
    const store = new CollectedTuples();
    const builder = new TopologyBuilder();
    builder.setSpout('sentences', spout, 2);
    builder.setBolt('split', new SplitSentenceBolt(), 2).shuffleGrouping('sentences');
    builder.setBolt('count', new WordCountBolt(), 3).fieldsGrouping('split', ['word']);
    builder.setBolt('sink', new CollectSink(store), 2).shuffleGrouping('count');
    await cluster.submitTopology('word-count', {}, builder.createTopology());

    const expected = recount(spout, total);
    await until('every sentence acked', () => stats.acked === total);
    expect(latestCounts(store)).toEqual(expected);
    expect(store.size).toBe(sum(expected)); // one running count per word occurrence, none twice
    expect(stats).toMatchObject({ emitted: total, acked: total, failed: 0, replayed: 0 });
    expect(cluster.pendingTrees('word-count')).toBe(0);
    // fields grouping: each word was counted by exactly one task
    const tasksByWord = new Map<string, Set<number>>();
    for (const tuple of store.all()) {
      const word = String(tuple.values[0]);
      tasksByWord.set(word, (tasksByWord.get(word) ?? new Set()).add(tuple.sourceTask));
    }
    expect([...tasksByWord.values()].every((tasks) => tasks.size === 1)).toBe(true);
  });

  it('replays sentences whose words fail until every sentence is acked at least once', async () => {
    cluster = new LocalCluster();
    const stats = new GeneratorStats();
    const log = new AckLog();
    const total = 300;
    const spout = new TrackedGeneratorSpout({ seed: 11, total, stats }, log);
    const store = new CollectedTuples();
    const random = randomFor(42, 0); // seeded; one stream of draws shared by the flaky tasks
    let injected = 0;
    const flaky = mapBolt(['word'], (input) => {
      if (random() < 0.05) {
        injected += 1;
        throw new FailedException('injected failure');
      }
      return [input.getValueByField('word')];
    });
    const builder = new TopologyBuilder();
    builder.setSpout('sentences', spout, 2);
    builder.setBolt('split', new SplitSentenceBolt(), 2).shuffleGrouping('sentences');
    builder.setBolt('flaky', flaky, 2).shuffleGrouping('split');
    builder.setBolt('count', new WordCountBolt(), 3).fieldsGrouping('flaky', ['word']);
    builder.setBolt('sink', new CollectSink(store)).shuffleGrouping('count');
    await cluster.submitTopology('flaky-word-count', {}, builder.createTopology());

    await until('every sentence acked', () => log.acked.size === total, 15_000);
    expect(injected).toBeGreaterThan(0);
    expect(stats.failed).toBeGreaterThan(0);
    expect([...log.acked.values()].every((times) => times === 1)).toBe(true); // a tree completes once
    await until('no tree pending', () => cluster?.pendingTrees('flaky-word-count') === 0);
    expect(stats.replayed).toBe(stats.failed);
    expect(stats.emitted).toBe(total + stats.replayed);
    const counts = latestCounts(store);
    for (const [word, count] of recount(spout, total)) expect(counts.get(word) ?? 0).toBeGreaterThanOrEqual(count);
  });
});

describe('rolling top-N on a local cluster', () => {
  const WORDS = ['ant', 'bee', 'cat', 'dog', 'eel', 'fox', 'gnu', 'hen'];

  /** Word i is drawn with weight 2^-(i+1): a heavily skewed stream. */
  const skewed = (_sequence: number, random: () => number): readonly unknown[] => {
    let draw = random();
    for (const word of WORDS) {
      if (draw < 0.5) return [word];
      draw = (draw - 0.5) * 2;
    }
    return [WORDS[WORDS.length - 1]];
  };

  it('ranks the truly most frequent words of the window in order, then forgets them once they slide out', async () => {
    cluster = new LocalCluster();
    const stats = new GeneratorStats();
    const total = 2_000;
    const spout = new GeneratorSpout({ seed: 3, total, stats, generate: skewed, fields: ['word'] });
    const store = new CollectedTuples();
    const tickSecs = 0.05;
    const builder = new TopologyBuilder();
    builder.setSpout('words', spout, 2);
    // 40 slots of one tick each: the whole burst of words fits in one window (2 s).
    builder.setBolt('rolling', new RollingCountBolt({ windowLengthSecs: 40, emitFrequencySecs: 1 }), 3).fieldsGrouping('words', ['word']).addConfiguration('topology.tick.tuple.freq.secs', tickSecs);
    builder.setBolt('intermediate', new IntermediateRankingsBolt({ topN: 3 }), 2).fieldsGrouping('rolling', ['obj']).addConfiguration('topology.tick.tuple.freq.secs', tickSecs);
    builder.setBolt('total', new TotalRankingsBolt({ topN: 3 })).globalGrouping('intermediate').addConfiguration('topology.tick.tuple.freq.secs', tickSecs);
    builder.setBolt('sink', new CollectSink(store)).shuffleGrouping('total');
    await cluster.submitTopology('top-n', {}, builder.createTopology());

    const counts = new Map<string, number>();
    for (let sequence = 0; sequence < total; sequence += 1) {
      const word = String(spout.valuesOf(sequence)[0]);
      counts.set(word, (counts.get(word) ?? 0) + 1);
    }
    const expected: Rankable[] = [...counts].map(([object, count]) => ({ object, count })).sort(compareRankables).slice(0, 3);
    expect(expected.map((item) => item.object)).toEqual(['ant', 'bee', 'cat']); // the skew is as intended

    const rankingsOf = (tuple: { values: readonly unknown[] }): unknown => tuple.values[0];
    await store.waitUntil('the exact top 3', (tuples) => tuples.some((tuple) => JSON.stringify(rankingsOf(tuple)) === JSON.stringify(expected)), 8_000);
    expect(stats).toMatchObject({ acked: total, failed: 0 });
    // Every ranking ever emitted is ordered best first and never over-counts a word.
    for (const tuple of store.all()) {
      const rankings = rankingsOf(tuple) as Rankable[];
      expect(rankings.length).toBeLessThanOrEqual(3);
      expect([...rankings].sort(compareRankables)).toEqual(rankings);
      for (const item of rankings) expect(item.count).toBeLessThanOrEqual(counts.get(String(item.object)) ?? 0);
    }
    // Nothing new arrives: once the window has slid past the burst, the rankings empty out.
    const seen = store.size;
    await store.waitUntil('empty rankings', (tuples) => tuples.slice(seen).some((tuple) => (rankingsOf(tuple) as Rankable[]).length === 0), 8_000);
  });
});

describe('functional helpers and the print sink on a local cluster', () => {
  /** A slow terminal: accepts a line per write, signals backpressure after a few bytes. */
  class SlowTerminal extends Writable {
    readonly lines: string[] = [];

    constructor() {
      super({ highWaterMark: 64, decodeStrings: false });
    }

    override _write(chunk: string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
      this.lines.push(chunk);
      setImmediate(done);
    }
  }

  it('splits with flatMap, filters, maps, and prints one line per surviving word', async () => {
    cluster = new LocalCluster();
    const stats = new GeneratorStats();
    const total = 200;
    const spout = new GeneratorSpout({ seed: 5, total, stats });
    const terminal = new SlowTerminal();
    const builder = new TopologyBuilder();
    builder.setSpout('sentences', spout);
    builder.setBolt('words', flatMapBolt(['word'], (input) => String(input.getValueByField('sentence')).split(' ').map((word) => [word] as const)), 2).shuffleGrouping('sentences');
    builder.setBolt('long', filterBolt(['word'], (input) => String(input.getValueByField('word')).length > 3), 2).shuffleGrouping('words');
    builder.setBolt('length', mapBolt(['word', 'length'], async (input) => {
      const word = String(input.getValueByField('word'));
      await Promise.resolve(); // an async map: the task waits for it
      return [word.toUpperCase(), word.length];
    }), 2).shuffleGrouping('long');
    builder.setBolt('print', new PrintSink({ out: terminal }), 2).shuffleGrouping('length');
    await cluster.submitTopology('functional', {}, builder.createTopology());

    const allWords = Array.from({ length: total }, (_, sequence) => String(spout.valuesOf(sequence)[0]).split(' ')).flat();
    const expected = allWords.filter((word) => word.length > 3).map((word) => `${JSON.stringify({ word: word.toUpperCase(), length: word.length })}\n`);
    await until('every sentence acked', () => stats.acked === total);
    expect([...terminal.lines].sort()).toEqual(expected.sort());
    expect(stats.failed).toBe(0);
    const byComponent = Object.fromEntries(cluster.getStats('functional').map((entry) => [entry.componentId, entry]));
    expect(byComponent.long?.executed).toBe(allWords.length);
    expect(byComponent.print?.executed).toBe(expected.length);
    expect(expected.length).toBeLessThan(allWords.length); // the filter did drop words
  });
});
