/**
 * The batch benchmark's job: word count of a text corpus (flatMap tokenize → map (word, 1) →
 * reduceByKey), returning totals and an order-independent digest of the counts so runs can be
 * compared without shipping every word back.
 */
import type { BatchContext } from '../../batch/context/batch-context.js';
import type { JobArguments } from '../../batch/job/job-module.js';
import { tokenize } from '../../core/text/tokenize.js';
import { countsDigest } from './counts-digest.js';

export interface WordCountSummary {
  readonly distinct: number;
  readonly total: number;
  readonly digest: number;
}

export default async function wordCountJob(sc: BatchContext, args: JobArguments): Promise<WordCountSummary> {
  const counts = sc
    .textFile(args.input ?? '', Number(args.partitions ?? sc.defaultParallelism))
    .flatMap(tokenize)
    .map((word): [string, number] => [word, 1])
    .reduceByKey((a, b) => a + b, Number(args.reducers ?? sc.defaultParallelism));
  const [distinct, total, digest] = await counts.aggregate(
    [0, 0, 0] as [number, number, number],
    ([d, t, h], [word, count]) => [d + 1, t + count, (h + countsDigest(word, count)) % 2_147_483_647],
    (a, b) => [a[0] + b[0], a[1] + b[1], (a[2] + b[2]) % 2_147_483_647],
  );
  return { distinct, total, digest };
}
