/**
 * Test topology module for distributed runs: generated sentences → split → count by word → a sink
 * appending "word<TAB>count" lines to a file per task (args.out is the file prefix), so a test in
 * another process can read what the counters saw.
 */
import { appendFileSync } from 'node:fs';
import { BaseRichBolt, type OutputCollector, type ResolvedConfig, type TopologyContext, type Tuple } from '../../api/index.js';
import type { OutputFieldsDeclarer } from '../../builder/components.js';
import { TopologyBuilder } from '../../builder/topology-builder.js';
import { GeneratorSpout } from '../../../../spouts/generator-spout.js';
import { SplitSentenceBolt } from '../../../../bolts/split-sentence-bolt.js';
import { WordCountBolt } from '../../../../bolts/word-count-bolt.js';
import type { BuiltTopology, TopologyArguments } from '../topology-module.js';

class FileCountSink extends BaseRichBolt {
  private collector!: OutputCollector;
  private path = '';

  constructor(private readonly prefix: string) {
    super();
  }

  declareOutputFields(_declarer: OutputFieldsDeclarer): void {}

  prepare(_config: ResolvedConfig, context: TopologyContext, collector: OutputCollector): void {
    this.collector = collector;
    this.path = `${this.prefix}-${context.taskId}.tsv`;
  }

  execute(input: Tuple): void {
    appendFileSync(this.path, `${input.getStringByField('word')}\t${input.getNumberByField('count')}\n`);
    this.collector.ack(input);
  }
}

export const SEED = 11;

export default function wordCount(args: TopologyArguments): BuiltTopology {
  const builder = new TopologyBuilder();
  builder.setSpout('sentences', new GeneratorSpout({ seed: SEED, total: Number(args.total ?? 1000) }), 2);
  builder.setBolt('split', new SplitSentenceBolt(), 2).shuffleGrouping('sentences');
  builder.setBolt('count', new WordCountBolt(), 2).fieldsGrouping('split', ['word']);
  builder.setBolt('sink', new FileCountSink(args.out ?? '/tmp/barista-counts'), 2).shuffleGrouping('count');
  return { topology: builder.createTopology(), config: { 'topology.acker.executors': 2, 'topology.max.spout.pending': 200 } };
}
