/**
 * The seed's MapReduce word count as a batch job module (see batch/job/job-module.ts):
 *
 *   lines → flatMap(tokenize) → map to [word, 1] → reduceByKey(+) → distinct words, total, top 10
 *
 * Input: The Raven by default, `input=<file or directory>` for other text, or a log topic with
 * `bootstrap=host:port topic=<name>` — every partition from its start up to the offsets it had when
 * the job began; those cut-offs come back in the result, so a serving view knows what it covers.
 *
 *   npm run build
 *   barista batch dist/examples/wordcount/batch.js --now
 *   barista batch dist/examples/wordcount/batch.js --now --arg bootstrap=127.0.0.1:9092 --arg topic=raven
 *
 * Words are core/text/tokenize's, the same as the topology's, so a batch count and a stream count
 * of the same text can be compared exactly.
 */
import { ravenPath } from '../../core/cli/package-root.js';
import { tokenize } from '../../core/text/tokenize.js';
import type { BatchContext } from '../../batch/context/batch-context.js';
import type { JobArguments } from '../../batch/job/job-module.js';
import type { RDD } from '../../batch/rdd/rdd.js';

/** Words listed in `top`. */
export const TOP_WORDS = 10;

export interface WordCountResult {
  readonly distinctWords: number;
  readonly totalWords: number;
  /** Most frequent first; ties alphabetically. */
  readonly top: Array<[string, number]>;
  /** For a log input: per partition, the exclusive offset the count stops at. */
  readonly cutOffs?: { readonly topic: string; readonly partitions: Record<string, number> };
}

export class WordCountArgumentError extends Error {
  readonly code = 'WORD_COUNT_ARGUMENT';
  constructor(readonly argument: string, readonly value: string | undefined, expected: string) {
    super(`word count: argument ${argument}=${value ?? '(missing)'} is not valid: expected ${expected}`);
    this.name = 'WordCountArgumentError';
  }
}

/** Most frequent first, ties broken alphabetically (code point order). */
const byCountThenWord = (left: [string, number], right: [string, number]): number => right[1] - left[1] || (left[0] < right[0] ? -1 : left[0] > right[0] ? 1 : 0);

async function inputLines(sc: BatchContext, args: JobArguments): Promise<{ lines: RDD<string>; cutOffs?: WordCountResult['cutOffs'] }> {
  if (args.bootstrap === undefined && args.topic === undefined) return { lines: sc.textFile(args.input ?? ravenPath()) };
  const match = /^(.+):(\d+)$/.exec(args.bootstrap ?? '');
  if (match === null) throw new WordCountArgumentError('bootstrap', args.bootstrap, 'host:port (with topic=<name>)');
  if (args.topic === undefined || args.topic.length === 0) throw new WordCountArgumentError('topic', args.topic, 'a topic name (with bootstrap=host:port)');
  const { rdd, plan } = await sc.logSnapshot({ host: match[1]!, port: Number(match[2]) }, args.topic);
  const partitions = Object.fromEntries(plan.partitions.map((part) => [String(part.partition), part.cutOffOffset]));
  return { lines: rdd.map((entry) => entry.value ?? ''), cutOffs: { topic: plan.topic, partitions } };
}

export default async function wordCount(sc: BatchContext, args: JobArguments): Promise<WordCountResult> {
  const { lines, cutOffs } = await inputLines(sc, args);
  const counts = lines
    .flatMap(tokenize)
    .map((word): [string, number] => [word, 1])
    .reduceByKey((left, right) => left + right)
    .cache();
  const totals = await counts.aggregate(
    { distinctWords: 0, totalWords: 0 },
    (sum, [, count]) => ({ distinctWords: sum.distinctWords + 1, totalWords: sum.totalWords + count }),
    (left, right) => ({ distinctWords: left.distinctWords + right.distinctWords, totalWords: left.totalWords + right.totalWords }),
  );
  const top = await counts.takeOrdered(TOP_WORDS, byCountThenWord);
  return { ...totals, top, ...(cutOffs === undefined ? {} : { cutOffs }) };
}
