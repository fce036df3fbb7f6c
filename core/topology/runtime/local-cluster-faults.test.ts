import { afterEach, describe, expect, it } from '@jest/globals';
import type { OutputCollector } from '../api/bolt.js';
import type { ResolvedConfig } from '../api/config.js';
import type { TopologyContext } from '../api/context.js';
import type { Tuple } from '../api/tuple.js';
import { TopologyBuilder } from '../builder/topology-builder.js';
import type { OutputFieldsDeclarer } from '../builder/components.js';
import { until } from '../../../test/support/until.js';
import { LocalCluster, type TopologyErrorEvent } from './local-cluster.js';
import { CountBolt, Ledger, SentenceSpout, SplitBolt } from './test-components.js';

const SENTENCES = Array.from({ length: 50 }, (_, index) => `alpha beta gamma ${index}`);

/** Throws on some words, never acks others (so they time out), and acks the rest. */
class FlakyBolt {
  private collector!: OutputCollector;
  readonly thrown: { count: number } = { count: 0 };

  constructor(
    private readonly throwOn: (word: string) => boolean,
    private readonly dropOn: (word: string) => boolean,
  ) {}

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(['word']);
  }

  prepare(_config: ResolvedConfig, _context: TopologyContext, collector: OutputCollector): void {
    this.collector = collector;
  }

  execute(input: Tuple): void {
    const word = input.getStringByField('word');
    if (this.throwOn(word)) throw new Error(`cannot handle ${word}`);
    if (this.dropOn(word)) return; // neither acked nor failed: the tree times out
    this.collector.emit(input, [word]);
    this.collector.ack(input);
  }
}

let cluster: LocalCluster;
afterEach(async () => {
  await cluster.shutdown();
});

describe('LocalCluster under faults', () => {
  it('reports a throwing bolt with its component and task, fails the tuple, and keeps the other tasks running', async () => {
    cluster = new LocalCluster();
    const errors: TopologyErrorEvent[] = [];
    cluster.errors$.subscribe((event) => errors.push(event));
    const ledger = new Ledger();
    let throws = 3; // the first three 'gamma' tuples throw, then it recovers
    const builder = new TopologyBuilder();
    builder.setSpout('sentences', new SentenceSpout(SENTENCES, ledger));
    builder.setBolt('split', new SplitBolt(), 2).shuffleGrouping('sentences');
    builder.setBolt('flaky', new FlakyBolt((word) => word === 'gamma' && throws-- > 0, () => false), 2).fieldsGrouping('split', ['word']);
    builder.setBolt('count', new CountBolt(ledger)).shuffleGrouping('flaky');
    await cluster.submitTopology('faults', {}, builder.createTopology());
    await until('every sentence acked', () => ledger.acked.size === SENTENCES.length);
    expect(errors).toHaveLength(3);
    expect(errors[0]?.topologyName).toBe('faults');
    expect(errors[0]?.error.message).toMatch(/^component 'flaky' task \d+: execute threw: cannot handle gamma$/);
    expect([...ledger.failed.values()].reduce((a, b) => a + b, 0)).toBe(3);
    expect(ledger.countOf('gamma')).toBe(SENTENCES.length);
    expect(ledger.countOf('alpha')).toBeGreaterThanOrEqual(SENTENCES.length);
    const flaky = cluster.getStats('faults').find((stats) => stats.componentId === 'flaky');
    expect(flaky?.errors).toBe(3);
  });

  it('times out trees a bolt never acks and replays them', async () => {
    cluster = new LocalCluster();
    const ledger = new Ledger();
    let drops = 2;
    const builder = new TopologyBuilder();
    builder.setSpout('sentences', new SentenceSpout(SENTENCES.slice(0, 10), ledger));
    builder.setBolt('split', new SplitBolt()).shuffleGrouping('sentences');
    builder.setBolt('flaky', new FlakyBolt(() => false, (word) => word === 'beta' && drops-- > 0)).shuffleGrouping('split');
    await cluster.submitTopology('timeouts', { 'topology.message.timeout.secs': 0.3 }, builder.createTopology());
    await until('every sentence acked', () => ledger.acked.size === 10);
    expect([...ledger.failed.values()].reduce((a, b) => a + b, 0)).toBe(2);
    expect(ledger.emitted).toBe(12);
  });

  it('reports a tuple emitted with the wrong number of values, naming the component and stream', async () => {
    cluster = new LocalCluster();
    const errors: TopologyErrorEvent[] = [];
    cluster.errors$.subscribe((event) => errors.push(event));
    const ledger = new Ledger();
    const builder = new TopologyBuilder();
    builder.setSpout('sentences', new SentenceSpout(['one two'], ledger));
    builder.setBolt('bad', { autoAck: true, declareOutputFields: (d: OutputFieldsDeclarer) => d.declare(['a', 'b']), execute: (_: Tuple, c: { emit(v: unknown[]): number }) => void c.emit([1]) }).shuffleGrouping('sentences');
    await cluster.submitTopology('mismatch', {}, builder.createTopology());
    await until('an error', () => errors.length > 0);
    expect(errors[0]?.error.message).toContain("component 'bad' emitted 1 values on stream 'default', which declares 2 fields [a, b]");
  });

  it('never lets an input queue grow past its capacity plus one batch while a bolt is slow', async () => {
    cluster = new LocalCluster();
    const ledger = new Ledger();
    const sentences = Array.from({ length: 3_000 }, (_, index) => `word${index}`);
    let maxQueued = 0;
    const builder = new TopologyBuilder();
    builder.setSpout('sentences', new SentenceSpout(sentences, ledger));
    builder.setBolt('slow', {
      autoAck: true as const,
      declareOutputFields: () => undefined,
      execute: async () => {
        await new Promise((resolve) => setImmediate(resolve));
      },
    }).shuffleGrouping('sentences');
    const config = { 'topology.executor.receive.buffer.size': 64, 'topology.transfer.batch.size': 16 };
    await cluster.submitTopology('slow', config, builder.createTopology());
    const probe = setInterval(() => {
      maxQueued = Math.max(maxQueued, ledger.emitted - [...ledger.acked.keys()].length);
    }, 1);
    await until('all acked', () => ledger.acked.size === sentences.length, 30_000);
    clearInterval(probe);
    // emitted - acked counts queued + executing + in the spout's outbox: at most capacity + a batch + one spout turn
    expect(maxQueued).toBeLessThanOrEqual(64 + 16 + 256);
    expect(maxQueued).toBeGreaterThan(0);
  });
});
