/**
 * `npm run bench -- topology`: word count as a topology — GeneratorSpout over the lines of The
 * Raven → SplitSentenceBolt (shuffle) → WordCountBolt (fields grouping on 'word') — on a
 * LocalCluster, against a plain JS loop in the same process generating the same sentences and
 * doing the same tokenizing and counting. Figures: words counted per second with acking off and
 * on (ratio of the loop's rate; the goal is 0.5), and the complete latency p50/p99 of the
 * spout's tuple trees with acking on.
 */
import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { LocalCluster, TopologyBuilder, type TopologyConfig } from '../core/topology/index.js';
import { tokenize } from '../core/text/tokenize.js';
import { GeneratorSpout, GeneratorStats, randomFor, sentencesOf } from '../spouts/index.js';
import { SplitSentenceBolt, WordCountBolt } from '../bolts/index.js';
import { printComparisons, type Comparison } from './report.js';

const SENTENCES_PER_RUN = Number(process.env.BENCH_TOPOLOGY_SENTENCES ?? 200_000);
const SEED = 7;

function plainLoop(sentences: readonly string[], total: number): { words: number; seconds: number } {
  const startMs = performance.now();
  const counts = new Map<string, number>();
  let words = 0;
  for (let sequence = 0; sequence < total; sequence++) {
    const sentence = sentences[Math.floor(randomFor(SEED, sequence)() * sentences.length)] as string;
    for (const word of tokenize(sentence)) {
      counts.set(word, (counts.get(word) ?? 0) + 1);
      words++;
    }
  }
  return { words, seconds: (performance.now() - startMs) / 1000 };
}

async function topologyRun(sentences: readonly string[], total: number, expectedWords: number, config: TopologyConfig) {
  const cluster = new LocalCluster();
  const stats = new GeneratorStats();
  const builder = new TopologyBuilder();
  builder.setSpout('sentences', new GeneratorSpout({ seed: SEED, total, sentences, stats }));
  builder.setBolt('split', new SplitSentenceBolt()).shuffleGrouping('sentences');
  builder.setBolt('count', new WordCountBolt(), 2).fieldsGrouping('split', ['word']);
  const startMs = performance.now();
  await cluster.submitTopology('bench', config, builder.createTopology());
  const counted = () => cluster.getStats('bench').find((component) => component.componentId === 'count')?.executed ?? 0;
  while (counted() < expectedWords || (config['topology.acker.executors'] !== 0 && stats.acked < total)) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const seconds = (performance.now() - startMs) / 1000;
  const spout = cluster.getStats('bench').find((component) => component.componentId === 'sentences');
  await cluster.shutdown();
  return { seconds, completeP50: spout?.completeLatencyMs.p50 ?? 0, completeP99: spout?.completeLatencyMs.p99 ?? 0, failed: stats.failed };
}

export async function run(): Promise<void> {
  const sentences = sentencesOf(await readFile(new URL('../../examples/wordcount/poems/raven.txt', import.meta.url), 'utf8'));
  plainLoop(sentences, 20_000); // warm up the JIT for both sides
  await topologyRun(sentences, 20_000, plainLoop(sentences, 20_000).words, { 'topology.acker.executors': 1 });
  const loop = plainLoop(sentences, SENTENCES_PER_RUN);
  const loopRate = loop.words / loop.seconds;
  const off = await topologyRun(sentences, SENTENCES_PER_RUN, loop.words, { 'topology.acker.executors': 0 });
  const on = await topologyRun(sentences, SENTENCES_PER_RUN, loop.words, { 'topology.acker.executors': 1, 'topology.max.spout.pending': 250 });
  const rows: Comparison[] = [
    { case: 'word count, acking off', unit: 'words/s', barista: loop.words / off.seconds, baseline: loopRate, baselineName: 'plain JS loop', goal: 0.5 },
    { case: 'word count, acking on', unit: 'words/s', barista: loop.words / on.seconds, baseline: loopRate, baselineName: 'plain JS loop', goal: 0.5 },
  ];
  printComparisons(`topology: ${SENTENCES_PER_RUN.toLocaleString('en-US')} sentences of raven.txt (${loop.words.toLocaleString('en-US')} words), 1 spout → 1 split → 2 count tasks, one process`, rows);
  console.log(`complete latency with acking on (max spout pending 250): p50 ${on.completeP50.toFixed(2)} ms, p99 ${on.completeP99.toFixed(2)} ms; trees failed: ${on.failed}`);
}
