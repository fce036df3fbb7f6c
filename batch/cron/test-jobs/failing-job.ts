/** A test job module whose run always fails, with a recognisable message. */
import type { BatchContext } from '../../context/batch-context.js';
import type { JobArguments } from '../../job/job-module.js';

export class DeliberateJobFailure extends Error {
  readonly code = 'DELIBERATE_JOB_FAILURE';
  constructor(readonly reason: string) {
    super(`deliberate failure: ${reason}`);
    this.name = 'DeliberateJobFailure';
  }
}

export default async function failingJob(sc: BatchContext, args: JobArguments): Promise<never> {
  await sc.range(0, 10, 1, 2).map((value) => {
    if (value === 7) throw new DeliberateJobFailure(args.reason ?? 'value 7');
    return value;
  }).count();
  throw new DeliberateJobFailure('unreachable: the action above fails');
}
