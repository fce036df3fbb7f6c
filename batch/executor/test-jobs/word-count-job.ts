/** Test job: word count of a text file, plus a second job that depends on the first's result. */
import type { BatchContext } from '../../context/batch-context.js';
import type { JobArguments } from '../../job/job-module.js';
import { tokenize } from '../../../core/text/tokenize.js';

export default async function wordCount(sc: BatchContext, args: JobArguments): Promise<{ counts: [string, number][]; total: number; frequent: string[] }> {
  const counts = sc
    .textFile(args.input ?? '', Number(args.partitions ?? 4))
    .flatMap(tokenize)
    .map((word): [string, number] => [word, 1])
    .reduceByKey((a, b) => a + b, 3)
    .persist();
  const total = await counts.values().fold(0, (a, b) => a + b);
  // Depends on the first job's result: executors must be given it to rebuild this lineage.
  const threshold = total / 200;
  const frequent = await counts.filter(([, count]) => count > threshold).keys().collect();
  return { counts: await counts.collect(), total, frequent: frequent.sort() };
}
