/**
 * The word-count topology on a real log embedded in this process (coord + broker, as `barista
 * dev` runs them), The Raven produced line by line: its counts must be the oracle's exactly when
 * nothing fails, and at least the oracle's — with every offset committed — when tuples fail.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { CollectedTuples } from '../../bolts/collect-sink.js';
import { LocalCluster } from '../../core/topology/runtime/local-cluster.js';
import { FileOffsetStore } from '../../spouts/offset-store.js';
import { until } from '../../test/support/until.js';
import { oracleWordCount } from '../../test/support/word-count-oracle.js';
import { committedOffsets, createTopics, produceLines, ravenText, sortedCounts, startEmbeddedLog, type EmbeddedLog } from './test-support.js';
import { buildWordCountTopology, COMPONENT, latestCounts } from './topology.js';
import { sourceKey } from './word-deltas.js';

const TOPIC = 'raven';
const PARTITIONS = 2;

let log: EmbeddedLog;
let oracle: Map<string, number>;
let oracleTotal: number;
let endOffsets: number[];
let cluster: LocalCluster | undefined;

beforeAll(async () => {
  log = await startEmbeddedLog('wordcount-topology');
  await createTopics(log, [{ topic: TOPIC, numPartitions: PARTITIONS }]);
  const text = await ravenText();
  oracle = oracleWordCount(text);
  oracleTotal = [...oracle.values()].reduce((sum, count) => sum + count, 0);
  endOffsets = await produceLines(log, TOPIC, text.split('\n'), PARTITIONS);
});
afterEach(async () => {
  await cluster?.shutdown();
  cluster = undefined;
});
afterAll(async () => {
  await log.close();
});

/** Submits the topology with a collect sink and a fresh offsets file; returns the store and the file. */
async function runCollecting(name: string, failures?: { rate: number; seed: number }) {
  const store = new CollectedTuples();
  const offsetsPath = join(log.dir, `${name}-offsets.json`);
  const topology = buildWordCountTopology({
    bootstrap: log.bootstrap,
    topic: TOPIC,
    offsetStore: new FileOffsetStore(offsetsPath),
    sink: { kind: 'collect', store },
    commitIntervalMs: 20,
    ...(failures !== undefined ? { failures } : {}),
  });
  cluster = new LocalCluster();
  await cluster.submitTopology(name, {}, topology);
  const allCommitted = async () => (await committedOffsets(offsetsPath, TOPIC, PARTITIONS)).every((offset, partition) => offset === endOffsets[partition]);
  return { store, cluster, allCommitted };
}

describe('word-count topology over the log', () => {
  it('counts every word of The Raven exactly as the oracle does when nothing fails', async () => {
    const { store, cluster, allCommitted } = await runCollecting('exact');
    await store.waitUntil('every word counted', (tuples) => tuples.length >= oracleTotal, 20_000);
    await until('every line acked and its offset committed', allCommitted, 20_000);
    const values = store.values();
    expect(sortedCounts(latestCounts(values))).toEqual(sortedCounts(oracle));
    // One tuple per word occurrence, each from a distinct place in the input: nothing replayed.
    expect(values).toHaveLength(oracleTotal);
    const sources = new Set(values.map(([, , partition, offset, position]) => sourceKey({ partition: partition as number, offset: offset as number, position: position as number })));
    expect(sources.size).toBe(oracleTotal);
    const stats = Object.fromEntries(cluster.getStats('exact').map((each) => [each.componentId, each]));
    expect(stats[COMPONENT.lines]?.failed).toBe(0);
    expect(stats[COMPONENT.lines]?.acked).toBe(endOffsets.reduce((sum, end) => sum + end, 0));
    expect(cluster.recentErrors('exact')).toEqual([]);
  });

  it('with ~5% of tuples failing, replays until every count is at least the oracle\'s and every offset is committed', async () => {
    const { store, cluster, allCommitted } = await runCollecting('failing', { rate: 0.05, seed: 20_251 });
    await until('every line acked and its offset committed', allCommitted, 30_000);
    const counts = latestCounts(store.values());
    expect(new Set(counts.keys())).toEqual(new Set(oracle.keys()));
    const short = [...oracle].filter(([word, count]) => (counts.get(word) ?? 0) < count);
    expect(short).toEqual([]);
    // Failures were injected and replayed: a line failed after its words were counted is counted again.
    const failed = cluster.getStats('failing').find((each) => each.componentId === COMPONENT.failures)?.failed ?? 0;
    expect(failed).toBeGreaterThan(0);
    expect([...counts.values()].reduce((sum, count) => sum + count, 0)).toBeGreaterThan(oracleTotal);
    // Deduplicated by source, the words received are exactly the oracle's.
    const firstBySource = new Map<string, string>();
    for (const [word, , partition, offset, position] of store.values()) {
      firstBySource.set(sourceKey({ partition: partition as number, offset: offset as number, position: position as number }), word as string);
    }
    const deduplicated = new Map<string, number>();
    for (const word of firstBySource.values()) deduplicated.set(word, (deduplicated.get(word) ?? 0) + 1);
    expect(sortedCounts(deduplicated)).toEqual(sortedCounts(oracle));
  });
});
