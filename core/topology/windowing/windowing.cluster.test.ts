/**
 * Windowed bolts end to end on a real LocalCluster: windowed(WindowedWordCountBolt) on count,
 * processing-time and event-time windows. Checks what the unit tests cannot: window contents
 * after real routing, that every input tree completes only after the windows holding it fired,
 * and that late tuples travel on the late-tuple stream to a subscriber.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { CollectedTuples, CollectSink } from '../../../bolts/collect-sink.js';
import { WindowedWordCountBolt } from '../../../bolts/windowed-word-count-bolt.js';
import { GeneratorSpout, GeneratorStats, type GeneratorSpoutOptions } from '../../../spouts/generator-spout.js';
import { until } from '../../../test/support/until.js';
import { TopologyBuilder } from '../builder/topology-builder.js';
import { LocalCluster } from '../runtime/local-cluster.js';
import { windowed } from './windowed-bolt-executor.js';

const WORDS = ['red', 'green', 'blue', 'black'];
const pickWord = (random: () => number): string => WORDS[Math.floor(random() * WORDS.length)] as string;

/** When each sequence number was first emitted and when it was acked, shared by the task copies. */
class Timeline {
  readonly emittedAtMs = new Map<number, number>();
  readonly ackedAtMs = new Map<number, number>();
  /** Sampled at each ack: e.g. how many windows the sink had seen by then. */
  readonly probeAtAck = new Map<number, number>();

  constructor(readonly probe: () => number = () => 0) {}
}

class TimedGeneratorSpout extends GeneratorSpout {
  constructor(
    options: GeneratorSpoutOptions,
    readonly timeline: Timeline,
  ) {
    super(options);
  }

  /** Called by the spout on every emit (and by tests for the expected values). */
  override valuesOf(sequence: number): readonly unknown[] {
    if (!this.timeline.emittedAtMs.has(sequence)) this.timeline.emittedAtMs.set(sequence, performance.now());
    return super.valuesOf(sequence);
  }

  override ack(sequence: number): void {
    super.ack(sequence);
    this.timeline.ackedAtMs.set(sequence, performance.now());
    this.timeline.probeAtAck.set(sequence, this.timeline.probe());
  }
}

/** Sum of counts per word over every window collected. */
function countsOverWindows(store: CollectedTuples): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [word, count] of store.values()) counts.set(String(word), (counts.get(String(word)) ?? 0) + Number(count));
  return counts;
}

function countWords(words: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

/** Window ends seen by a sink, in order of first appearance. */
const windowEnds = (store: CollectedTuples): number[] => [...new Set(store.values().map((values) => Number(values[2])))];

let cluster: LocalCluster | undefined;
afterEach(async () => {
  await cluster?.shutdown();
  cluster = undefined;
});

describe('count windows on a local cluster', () => {
  const total = 60;
  const wordsOf = (spout: GeneratorSpout, from: number, to: number): string[] => Array.from({ length: to - from }, (_, index) => String(spout.valuesOf(from + index)[0]));

  async function run(bolt: WindowedWordCountBolt, name: string) {
    cluster = new LocalCluster();
    const stats = new GeneratorStats();
    const store = new CollectedTuples();
    const timeline = new Timeline(() => windowEnds(store).length);
    const spout = new TimedGeneratorSpout({ seed: 4, total, stats, fields: ['word'], generate: (_sequence, random) => [pickWord(random)] }, timeline);
    let arrivals = 0; // the executor's clock: the arrival number, so window ends are exact
    const builder = new TopologyBuilder();
    builder.setSpout('words', spout);
    builder.setBolt('count', windowed(bolt, { clock: () => ++arrivals })).shuffleGrouping('words');
    builder.setBolt('sink', new CollectSink(store)).shuffleGrouping('count');
    await cluster.submitTopology(name, {}, builder.createTopology());
    const expectedWords = (from: number, to: number) => countWords(wordsOf(new GeneratorSpout({ seed: 4, generate: (_sequence, random) => [pickWord(random)] }), from, to));
    return { stats, store, timeline, expectedWords };
  }

  /** (word → count) of each window, in firing order. */
  const windows = (store: CollectedTuples): Map<string, number>[] =>
    windowEnds(store).map((end) => new Map(store.values().filter((values) => values[2] === end).map(([word, count]) => [String(word), Number(count)])));

  it('counts each tumbling window of 10 tuples and acks each tuple once its window fired', async () => {
    const { stats, store, timeline, expectedWords } = await run(new WindowedWordCountBolt().withTumblingWindow({ count: 10 }), 'tumbling-count');
    await until('every tuple acked', () => stats.acked === total);
    expect(windowEnds(store)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(windows(store)).toEqual([0, 1, 2, 3, 4, 5].map((index) => expectedWords(index * 10, index * 10 + 10)));
    for (let sequence = 0; sequence < total; sequence += 1) {
      // by the time tuple s was acked, the sink had seen its window (the ⌊s/10⌋+1-th)
      expect(timeline.probeAtAck.get(sequence)).toBeGreaterThanOrEqual(Math.floor(sequence / 10) + 1);
    }
    expect(stats.failed).toBe(0);
  });

  it('acks a tuple of a sliding window only after the last window holding it fired', async () => {
    const { stats, store, timeline, expectedWords } = await run(new WindowedWordCountBolt().withWindow({ count: 10 }, { count: 5 }), 'sliding-count');
    // Tuples 55..59 belong to a window (ending at tuple 65) that never comes: they stay pending.
    await until('tuples 0..54 acked and 12 windows seen', () => stats.acked === total - 5 && windowEnds(store).length === 12);
    expect(windowEnds(store)).toEqual([5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]);
    expect(windows(store)).toEqual(Array.from({ length: 12 }, (_, index) => expectedWords(Math.max(0, (index + 1) * 5 - 10), (index + 1) * 5)));
    expect([...timeline.ackedAtMs.keys()].sort((a, b) => a - b)).toEqual(Array.from({ length: total - 5 }, (_, sequence) => sequence));
    for (const [sequence, windowsSeen] of timeline.probeAtAck) expect(windowsSeen).toBeGreaterThanOrEqual(Math.floor(sequence / 5) + 2);
    expect(cluster?.pendingTrees('sliding-count')).toBe(5);
  });
});

describe('processing-time windows on a local cluster', () => {
  const total = 200;

  async function run(bolt: WindowedWordCountBolt, name: string) {
    cluster = new LocalCluster();
    const stats = new GeneratorStats();
    const store = new CollectedTuples();
    const timeline = new Timeline();
    const options: GeneratorSpoutOptions = { seed: 8, total, stats, fields: ['word'], ratePerSecond: 500, generate: (_sequence, random) => [pickWord(random)] };
    const spout = new TimedGeneratorSpout(options, timeline);
    const builder = new TopologyBuilder();
    builder.setSpout('words', spout);
    builder.setBolt('count', windowed(bolt), 2).fieldsGrouping('words', ['word']);
    builder.setBolt('sink', new CollectSink(store)).shuffleGrouping('count');
    await cluster.submitTopology(name, {}, builder.createTopology());
    const expected = countWords(Array.from({ length: total }, (_, sequence) => String(new GeneratorSpout(options).valuesOf(sequence)[0])));
    return { stats, store, timeline, expected };
  }

  it('counts every tuple in exactly one tumbling window and acks it after that window ended', async () => {
    const slideMs = 100;
    const { stats, store, timeline, expected } = await run(new WindowedWordCountBolt().withTumblingWindow({ durationMs: slideMs }), 'tumbling-time');
    await until('every tuple acked', () => stats.acked === total);
    expect(countsOverWindows(store)).toEqual(expected);
    expect(windowEnds(store).length).toBeGreaterThan(2); // the rate spread the input over several windows
    for (const end of windowEnds(store)) expect(end % slideMs).toBe(0);
    const keys = store.values().map(([word, , end]) => `${String(word)}@${String(end)}`);
    expect(new Set(keys).size).toBe(keys.length); // one count per word and window
    for (const [sequence, ackedAtMs] of timeline.ackedAtMs) {
      const emittedAtMs = timeline.emittedAtMs.get(sequence) as number;
      expect(ackedAtMs).toBeGreaterThanOrEqual((Math.floor(emittedAtMs / slideMs) + 1) * slideMs);
    }
    expect(stats.failed).toBe(0);
  });

  it('counts every tuple in two windows of a sliding window twice the slide long', async () => {
    const slideMs = 100;
    const { stats, store, timeline, expected } = await run(new WindowedWordCountBolt().withWindow({ durationMs: 2 * slideMs }, { durationMs: slideMs }), 'sliding-time');
    await until('every tuple acked', () => stats.acked === total);
    expect(countsOverWindows(store)).toEqual(new Map([...expected].map(([word, count]) => [word, 2 * count])));
    for (const [sequence, ackedAtMs] of timeline.ackedAtMs) {
      const emittedAtMs = timeline.emittedAtMs.get(sequence) as number;
      expect(ackedAtMs).toBeGreaterThanOrEqual((Math.floor(emittedAtMs / slideMs) + 2) * slideMs);
    }
    expect(stats.failed).toBe(0);
  });
});

describe('event-time windows on a local cluster', () => {
  it('sends tuples behind the watermark to the late-tuple stream and counts the others in their event-time window', async () => {
    cluster = new LocalCluster();
    const total = 150;
    const flush = total - 1; // far ahead in event time: moves the watermark past every other window
    const isLate = (sequence: number): boolean => sequence !== flush && sequence >= 40 && sequence % 25 === 24;
    const timestampOf = (sequence: number): number => (sequence === flush ? sequence * 10 + 10_000 : isLate(sequence) ? sequence * 10 - 2_000 : sequence * 10);
    const stats = new GeneratorStats();
    const options: GeneratorSpoutOptions = { seed: 2, total, stats, fields: ['word', 'ts'], ratePerSecond: 300, generate: (sequence, random) => [pickWord(random), timestampOf(sequence)] };
    const spout = new GeneratorSpout(options);
    const counts = new CollectedTuples();
    const late = new CollectedTuples();
    const bolt = new WindowedWordCountBolt().withTumblingWindow({ durationMs: 100 }).withTimestampField('ts').withLag(50).withWatermarkInterval(10).withLateTupleStream('late');
    const builder = new TopologyBuilder();
    builder.setSpout('words', spout);
    const executor = windowed(bolt);
    builder.setBolt('count', executor).shuffleGrouping('words');
    builder.setBolt('counts', new CollectSink(counts)).shuffleGrouping('count');
    builder.setBolt('late', new CollectSink(late)).shuffleGrouping('count', 'late');
    await cluster.submitTopology('event-time', {}, builder.createTopology());

    const lateSequences = Array.from({ length: total }, (_, sequence) => sequence).filter(isLate);
    // Everything but the flush tuple is acked: late tuples once on the late stream, others after their window.
    await until('every tuple but the flush one acked', () => stats.acked === total - 1);
    expect(late.all().map((tuple) => tuple.sourceStreamId)).toEqual(lateSequences.map(() => 'late'));
    expect(late.values()).toEqual(lateSequences.map((sequence) => ['words', 'default', spout.valuesOf(sequence), timestampOf(sequence)]));

    const expectedWindows = new Map<number, Map<string, number>>();
    for (let sequence = 0; sequence < flush; sequence += 1) {
      if (isLate(sequence)) continue;
      const end = (Math.floor(timestampOf(sequence) / 100) + 1) * 100;
      const window = expectedWindows.get(end) ?? new Map<string, number>();
      const word = String(spout.valuesOf(sequence)[0]);
      expectedWindows.set(end, window.set(word, (window.get(word) ?? 0) + 1));
    }
    const actualWindows = new Map<number, Map<string, number>>();
    for (const [word, count, end] of counts.values()) {
      const window = actualWindows.get(Number(end)) ?? new Map<string, number>();
      actualWindows.set(Number(end), window.set(String(word), Number(count)));
    }
    expect(actualWindows).toEqual(expectedWindows);
    // The figures of the executor the user registered cover what its task copies did.
    expect(executor.stats).toMatchObject({ windowsFired: expectedWindows.size, lateEmitted: lateSequences.length, lateDropped: 0, rejected: 0 });
    expect(stats.failed).toBe(0);
    expect(cluster.pendingTrees('event-time')).toBe(1); // the flush tuple's window never closes
  });
});
