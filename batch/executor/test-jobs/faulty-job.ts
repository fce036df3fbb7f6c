/** Test job whose tasks misbehave as `args.fault` says: exit the thread once, throw, return a function, or build a different lineage on executors. */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BatchContext } from '../../context/batch-context.js';
import type { JobArguments } from '../../job/job-module.js';

export default async function faulty(sc: BatchContext, args: JobArguments): Promise<unknown> {
  const fault = args.fault ?? 'none';
  const marker = join(args.markerDir ?? sc.workDirectory, 'exited-once');
  const partitions = fault === 'lineage' && !sc.isDriver ? 3 : 2;
  const numbers = sc.range(0, 100, 1, partitions);
  const mapped = numbers.map((n) => {
    if (fault === 'exit' && n === 70 && !existsSync(marker)) {
      writeFileSync(marker, 'x');
      process.exit(3);
    }
    if (fault === 'throw' && n === 70) throw new Error(`cannot handle ${n}`);
    return n * 2;
  });
  if (fault === 'function') return mapped.map((n) => () => n).collect();
  return mapped.fold(0, (a, b) => a + b);
}
