/**
 * The cluster benchmark's topology module: generated lines of The Raven → split → count by word,
 * acking on. Each spout task writes `<out>-spout-<task>.done` (its completion time) once its
 * whole share is emitted and acked, so the benchmark sees completion across processes.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { ResolvedConfig, SpoutOutputCollector, TopologyContext } from '../../core/topology/api/index.js';
import { TopologyBuilder } from '../../core/topology/builder/topology-builder.js';
import type { BuiltTopology, TopologyArguments } from '../../core/topology/distributed/topology-module.js';
import { GeneratorSpout, sentencesOf, type GeneratorSpoutOptions } from '../../spouts/generator-spout.js';
import { SplitSentenceBolt } from '../../bolts/split-sentence-bolt.js';
import { WordCountBolt } from '../../bolts/word-count-bolt.js';

const RAVEN = new URL('../../../examples/wordcount/poems/raven.txt', import.meta.url);

class DoneMarkingSpout extends GeneratorSpout {
  private outputs: SpoutOutputCollector | undefined;
  private marker = '';
  private marked = false;

  constructor(options: GeneratorSpoutOptions, private readonly out: string) {
    super(options);
  }

  override open(config: ResolvedConfig, context: TopologyContext, collector: SpoutOutputCollector): void {
    super.open(config, context, collector);
    this.outputs = collector;
    this.marker = `${this.out}-spout-${context.taskId}.done`;
  }

  override ack(sequence: number): void {
    super.ack(sequence);
    if (!this.marked && this.exhausted && this.outputs?.pendingCount === 0) {
      this.marked = true;
      writeFileSync(this.marker, String(Date.now()));
    }
  }
}

export default function wordCount(args: TopologyArguments): BuiltTopology {
  const parallelism = Number(args.parallelism ?? 2);
  const builder = new TopologyBuilder();
  const sentences = sentencesOf(readFileSync(RAVEN, 'utf8'));
  builder.setSpout('lines', new DoneMarkingSpout({ seed: 5, total: Number(args.total ?? 100_000), sentences }, args.out ?? '/tmp/barista-bench'), parallelism);
  builder.setBolt('split', new SplitSentenceBolt(), parallelism).shuffleGrouping('lines');
  builder.setBolt('count', new WordCountBolt(), parallelism).fieldsGrouping('split', ['word']);
  return { topology: builder.createTopology(), config: { 'topology.acker.executors': parallelism, 'topology.max.spout.pending': 1_000 } };
}
