import { afterEach, describe, expect, it } from '@jest/globals';
import { TopologyBuilder } from '../builder/topology-builder.js';
import { TopologyExistsError, TopologyStartError } from '../api/errors.js';
import { until } from '../../../test/support/until.js';
import { LocalCluster } from './local-cluster.js';
import { CountBolt, Ledger, SentenceSpout, SplitBolt } from './test-components.js';

const SENTENCES = Array.from({ length: 200 }, (_, index) => `the quick brown fox ${index % 7} jumps over the lazy dog ${index % 3}`);

function expectedCounts(sentences: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sentence of sentences) for (const word of sentence.split(/\s+/)) counts.set(word, (counts.get(word) ?? 0) + 1);
  return counts;
}

function wordCount(ledger: Ledger, options: { splitters?: number; counters?: number; shouldFail?: (word: string) => boolean } = {}) {
  const builder = new TopologyBuilder();
  builder.setSpout('sentences', new SentenceSpout(SENTENCES, ledger), 2);
  builder.setBolt('split', new SplitBolt(), options.splitters ?? 2).shuffleGrouping('sentences');
  builder.setBolt('count', new CountBolt(ledger, options.shouldFail), options.counters ?? 3).fieldsGrouping('split', ['word']);
  return builder.createTopology();
}

let cluster: LocalCluster;
afterEach(async () => {
  await cluster.shutdown();
});

describe('LocalCluster word count', () => {
  it('counts every word exactly once and acks every sentence when nothing fails', async () => {
    cluster = new LocalCluster();
    const ledger = new Ledger();
    await cluster.submitTopology('wc', {}, wordCount(ledger));
    await until('all sentences acked', () => ledger.acked.size === SENTENCES.length);
    expect(ledger.counts).toEqual(expectedCounts(SENTENCES));
    expect([...ledger.acked.values()].every((times) => times === 1)).toBe(true);
    expect(ledger.failed.size).toBe(0);
    const stats = Object.fromEntries(cluster.getStats('wc').map((stats) => [stats.componentId, stats]));
    expect(stats.sentences?.acked).toBe(SENTENCES.length);
    expect(stats.split?.executed).toBe(SENTENCES.length);
    expect(stats.count?.executed).toBe([...expectedCounts(SENTENCES).values()].reduce((a, b) => a + b, 0));
    expect(cluster.pendingTrees('wc')).toBe(0);
  });

  it('replays failed trees until every sentence is fully processed at least once', async () => {
    cluster = new LocalCluster();
    const ledger = new Ledger();
    let seed = 42;
    const random = (): number => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    await cluster.submitTopology('wc', {}, wordCount(ledger, { shouldFail: () => random() < 0.05 }));
    await until('all sentences acked', () => ledger.acked.size === SENTENCES.length, 30_000);
    expect(ledger.failed.size).toBeGreaterThan(0);
    for (const [word, count] of expectedCounts(SENTENCES)) expect(ledger.countOf(word)).toBeGreaterThanOrEqual(count);
  });

  it('with acker executors 0, acks each spout tuple as soon as it is emitted', async () => {
    cluster = new LocalCluster();
    const ledger = new Ledger();
    await cluster.submitTopology('wc', { 'topology.acker.executors': 0 }, wordCount(ledger, { shouldFail: () => true }));
    await until('all sentences acked', () => ledger.acked.size === SENTENCES.length);
    expect(ledger.failed.size).toBe(0);
    expect(ledger.emitted).toBe(SENTENCES.length);
  });

  it('refuses a second topology with the same name', async () => {
    cluster = new LocalCluster();
    await cluster.submitTopology('wc', {}, wordCount(new Ledger()));
    await expect(cluster.submitTopology('wc', {}, wordCount(new Ledger()))).rejects.toBeInstanceOf(TopologyExistsError);
  });

  it('fails the submit, naming the component, when a bolt throws in prepare', async () => {
    cluster = new LocalCluster();
    const builder = new TopologyBuilder();
    builder.setSpout('sentences', new SentenceSpout(SENTENCES, new Ledger()));
        const broken = {
      declareOutputFields: () => undefined,
      prepare: () => {
        throw new Error('no database');
      },
      execute: () => undefined,
    };
    builder.setBolt('broken', broken).shuffleGrouping('sentences');
    const submit = cluster.submitTopology('bad', {}, builder.createTopology());
    await expect(submit).rejects.toBeInstanceOf(TopologyStartError);
    await expect(submit).rejects.toThrow(/component 'broken' task \d+: prepare threw: no database/);
    expect(cluster.getTopologyNames()).toEqual([]);
  });
});
