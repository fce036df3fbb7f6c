/**
 * One run of a job module, turned into a run record: the module runs through runJobModule (a
 * fresh BatchContext, stopped afterwards) with stage progress reported, and whatever happens —
 * a result or an error — becomes a record with its times, status and cut-offs.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../../core/telemetry/logger.js';
import type { BatchContextOptions } from '../context/batch-context.js';
import { runJobModule, type JobArguments } from '../job/job-module.js';
import { createProgressReporter } from './progress.js';
import { cutOffsOf, truncatedErrorMessage, type RunRecord } from './run-record.js';

export interface RecordedRunOptions {
  readonly jobName: string;
  readonly modulePath: string;
  readonly args: JobArguments;
  readonly context: BatchContextOptions;
  /** Run lines are logged with the run id added (the caller's logger names the job). */
  readonly logger: Logger;
  /** Where progress bars go when it is a terminal (default process.stderr). */
  readonly progressStream?: NodeJS.WriteStream;
}

export interface RunOutcome {
  readonly record: RunRecord;
  /** The job's return value, when it succeeded. */
  readonly result?: unknown;
  /** What the job threw, when it failed. */
  readonly error?: unknown;
}

export async function runRecorded(options: RecordedRunOptions): Promise<RunOutcome> {
  const runId = randomUUID();
  const logger = options.logger.child({ runId });
  const progress = createProgressReporter({ logger, ...(options.progressStream === undefined ? {} : { stream: options.progressStream }) });
  const jobsStarted = new Set<number>();
  const onProgress = options.context.onProgress;
  const started = new Date();
  logger.info({ module: options.modulePath }, 'run started');
  const record = (status: RunRecord['status'], jobs: number, extra: Partial<RunRecord>): RunRecord => {
    const finished = new Date();
    return { runId, job: options.jobName, startedAt: started.toISOString(), finishedAt: finished.toISOString(), durationMs: finished.getTime() - started.getTime(), status, jobs, ranBy: `${hostname()}/${process.pid}`, ...extra };
  };
  try {
    const { result, jobs } = await runJobModule(options.modulePath, options.args, {
      ...options.context,
      onProgress: (stage) => {
        jobsStarted.add(stage.jobIndex);
        progress.onProgress(stage);
        onProgress?.(stage);
      },
    });
    const cutOffs = cutOffsOf(result);
    const outcome = { record: record('succeeded', jobs, cutOffs === undefined ? {} : { cutOffs }), result };
    logger.info({ durationMs: outcome.record.durationMs, jobs }, 'run succeeded');
    return outcome;
  } catch (error) {
    const outcome = { record: record('failed', jobsStarted.size, { error: truncatedErrorMessage(error) }), error };
    logger.error({ durationMs: outcome.record.durationMs, error: outcome.record.error }, 'run failed');
    return outcome;
  } finally {
    progress.finish();
  }
}
