/**
 * A test job module: counts a small parallelized range, optionally after sleeping `sleepMs` (to
 * make runs long enough to overlap ticks), and returns `cutOffs` for the run record.
 */
import type { BatchContext } from '../../context/batch-context.js';
import type { JobArguments } from '../../job/job-module.js';

export default async function countingJob(sc: BatchContext, args: JobArguments): Promise<{ count: number; cutOffs: { marker: string } }> {
  const sleepMs = Number(args.sleepMs ?? '0');
  if (sleepMs > 0) await new Promise((resolve) => setTimeout(resolve, sleepMs));
  const count = await sc.range(0, 100, 1, 2).count();
  return { count, cutOffs: { marker: args.marker ?? 'none' } };
}
