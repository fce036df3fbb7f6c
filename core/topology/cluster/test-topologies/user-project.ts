/**
 * A user's topology project outside this package, for the bundling tests: a word count written in
 * TypeScript that imports its own files (a .ts and an .mjs), Barista three ways (`barista/...`
 * names, an absolute path into dist/, a Barista TypeScript source) and an npm package (rxjs). Its
 * sink appends "word<TAB>count" lines to `<args.out>-<task id>.tsv`; it emits args.total sentences.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../cli/package-root.js';
import { tokenize } from '../../../text/tokenize.js';

export const USER_PROJECT_SENTENCES: readonly string[] = ['bundled barista brews', 'barista brews without a build step', 'a step of its own'];

function files(root: string): Record<string, string> {
  return {
    'topology.ts': `
import { appendFileSync } from 'node:fs';
import { lastValueFrom, from, toArray } from 'rxjs';
import { BaseRichBolt, type OutputCollector, type ResolvedConfig, type TopologyContext, type Tuple } from 'barista/dist/core/topology/api/index.js';
import type { OutputFieldsDeclarer } from 'barista/dist/core/topology/builder/components.js';
import { TopologyBuilder } from ${JSON.stringify(join(root, 'dist/core/topology/builder/topology-builder.js'))};
import { GeneratorSpout } from 'barista/spouts';
import { SplitSentenceBolt } from ${JSON.stringify(join(root, 'bolts/split-sentence-bolt.ts'))};
import { WordCountBolt } from 'barista/dist/bolts/word-count-bolt.js';
import { sentenceAt } from './sentences.js';
import { countLine } from './format.mjs';

class FileSink extends BaseRichBolt {
  private collector!: OutputCollector;
  private path: string = '';
  constructor(private readonly prefix: string) { super(); }
  declareOutputFields(_declarer: OutputFieldsDeclarer): void {}
  prepare(_config: ResolvedConfig, context: TopologyContext, collector: OutputCollector): void {
    this.collector = collector;
    this.path = this.prefix + '-' + context.taskId + '.tsv';
  }
  execute(input: Tuple): void {
    appendFileSync(this.path, countLine(input.getStringByField('word'), input.getNumberByField('count')));
    this.collector.ack(input);
  }
}

export default async function build(args: Readonly<Record<string, string>>) {
  const parallelism: number[] = await lastValueFrom(from([1, 2]).pipe(toArray()));
  const builder = new TopologyBuilder();
  builder.setSpout('sentences', new GeneratorSpout({ total: Number(args.total), generate: (sequence: number) => [sentenceAt(sequence)] }), parallelism[0]);
  builder.setBolt('split', new SplitSentenceBolt(), parallelism[1]!).shuffleGrouping('sentences');
  builder.setBolt('count', new WordCountBolt(), parallelism[1]!).fieldsGrouping('split', ['word']);
  builder.setBolt('sink', new FileSink(args.out!), 1).shuffleGrouping('count');
  return { topology: builder.createTopology(), config: { 'topology.acker.executors': 1 } };
}
`,
    'sentences.ts': `
export const USER_SENTENCES: readonly string[] = ${JSON.stringify(USER_PROJECT_SENTENCES)};
export function sentenceAt(sequence: number): string {
  return USER_SENTENCES[sequence % USER_SENTENCES.length] as string;
}
`,
    'format.mjs': "export function countLine(word, count) { return word + '\\t' + count + '\\n'; }\n",
  };
}

/** Writes the project into `directory`; returns its entry file (topology.ts). */
export function writeUserProject(directory: string): string {
  for (const [name, text] of Object.entries(files(packageRoot()))) writeFileSync(join(directory, name), text);
  return join(directory, 'topology.ts');
}

/** The project's own files, as a bundle should list them. */
export const USER_PROJECT_FILES: readonly string[] = ['format.mjs', 'sentences.ts', 'topology.ts'];

/** What the counters reach after `total` sentences. */
export function userProjectCounts(total: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let sequence = 0; sequence < total; sequence++) {
    for (const word of tokenize(USER_PROJECT_SENTENCES[sequence % USER_PROJECT_SENTENCES.length]!)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}
