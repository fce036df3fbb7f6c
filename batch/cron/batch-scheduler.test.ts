/**
 * The batch scheduler without coord (local mode): cron ticks every second run the job and leave
 * records in the state file; runs never overlap (ticks during a run are skipped); a failing job is
 * recorded as failed with its error; bad cron expressions and job names are refused up front.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { until } from '../../test/support/until.js';
import { BatchScheduler, type BatchSchedulerOptions } from './batch-scheduler.js';
import { InvalidCronExpressionError, InvalidJobNameError, NothingToScheduleError } from './errors.js';
import { FileRunStore } from './file-run-store.js';

const COUNTING_JOB = new URL('./test-jobs/counting-job.ts', import.meta.url).pathname;
const FAILING_JOB = new URL('./test-jobs/failing-job.ts', import.meta.url).pathname;
const EVERY_SECOND = '* * * * * *';

let stateDirectory: string | undefined;
let scheduler: BatchScheduler | undefined;

function localScheduler(options: Omit<BatchSchedulerOptions, 'stateDirectory'>): BatchScheduler {
  stateDirectory = mkdtempSync(join(tmpdir(), 'barista-cron-'));
  scheduler = new BatchScheduler({ stateDirectory, context: { slots: 2 }, ...options });
  return scheduler;
}

afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
  if (stateDirectory !== undefined) rmSync(stateDirectory, { recursive: true, force: true });
  stateDirectory = undefined;
});

describe('batch scheduler, local mode', () => {
  it('runs the job on every tick of a per-second cron and records each run with its cut-offs', async () => {
    const local = localScheduler({ modulePath: COUNTING_JOB, jobName: 'counting', cron: EVERY_SECOND, args: { marker: 'm1' } });
    await local.start();
    await until('two runs', () => local.stats.runs >= 2, 10_000);
    await local.stop();
    const records = await new FileRunStore(stateDirectory!, 'counting').list();
    expect(records.length).toBeGreaterThanOrEqual(2);
    for (const record of records) {
      expect(record).toMatchObject({ job: 'counting', status: 'succeeded', jobs: 1, cutOffs: { marker: 'm1' } });
      expect(Date.parse(record.finishedAt)).toBeGreaterThanOrEqual(Date.parse(record.startedAt));
    }
    expect(new Set(records.map((record) => record.runId)).size).toBe(records.length);
  });

  it('skips ticks while a run is going, so runs never overlap', async () => {
    const local = localScheduler({ modulePath: COUNTING_JOB, jobName: 'slow', cron: EVERY_SECOND, args: { sleepMs: '1600' } });
    await local.start();
    await until('two runs and a skipped tick', () => local.stats.runs >= 2 && local.stats.skippedTicks >= 1, 15_000);
    await local.stop();
    const records = await local.store.list();
    const byStart = [...records].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    for (let index = 1; index < byStart.length; index += 1) {
      expect(Date.parse(byStart[index]!.startedAt)).toBeGreaterThanOrEqual(Date.parse(byStart[index - 1]!.finishedAt));
    }
  });

  it('records a failing job as failed, with the error it threw', async () => {
    const local = localScheduler({ modulePath: FAILING_JOB, jobName: 'failing', runOnStart: true, args: { reason: 'disk on fire' } });
    const outcome = local.nextRun();
    await local.start();
    const { record, error } = await outcome;
    expect(record.status).toBe('failed');
    expect(record.error).toMatch(/deliberate failure: disk on fire/);
    expect(error).toBeInstanceOf(Error);
    expect(await local.store.list()).toEqual([record]);
  });

  it('records a job module that cannot be loaded as a failed run', async () => {
    const local = localScheduler({ modulePath: join(tmpdir(), 'no-such-job.js'), jobName: 'missing', runOnStart: true });
    const outcome = local.nextRun();
    await local.start();
    expect((await outcome).record).toMatchObject({ status: 'failed', jobs: 0, error: expect.stringMatching(/cannot be imported/) });
  });

  it('refuses a bad cron expression, naming it', () => {
    expect(() => new BatchScheduler({ modulePath: COUNTING_JOB, cron: '61 * * * *' })).toThrow(InvalidCronExpressionError);
    expect(() => new BatchScheduler({ modulePath: COUNTING_JOB, cron: 'every tuesday' })).toThrow(/invalid cron expression "every tuesday"/);
  });

  it('refuses a job name that cannot be a path segment, and a scheduler with nothing to run', () => {
    expect(() => new BatchScheduler({ modulePath: COUNTING_JOB, jobName: '../escape', runOnStart: true })).toThrow(InvalidJobNameError);
    expect(() => new BatchScheduler({ modulePath: COUNTING_JOB })).toThrow(NothingToScheduleError);
  });

  it('names a job after its module\'s directory and file by default', () => {
    expect(new BatchScheduler({ modulePath: '/x/dist/examples/wordcount/batch.js', runOnStart: true }).jobName).toBe('wordcount-batch');
  });
});
