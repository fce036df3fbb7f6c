import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runJobModule } from '../job/job-module.js';
import { oracleWordCount } from '../../test/support/word-count-oracle.js';

const RAVEN = new URL('../../examples/wordcount/poems/raven.txt', import.meta.url).pathname;
const WORD_COUNT_JOB = new URL('./test-jobs/word-count-job.ts', import.meta.url).pathname;
const FAULTY_JOB = new URL('./test-jobs/faulty-job.ts', import.meta.url).pathname;

interface WordCountResult {
  counts: [string, number][];
  total: number;
  frequent: string[];
}

describe('executor threads', () => {
  it('run a job module on 2 threads with the same answer as local mode and the oracle, across dependent jobs', async () => {
    const threaded = (await runJobModule(WORD_COUNT_JOB, { input: RAVEN }, { executors: 2 })).result as WordCountResult;
    const local = (await runJobModule(WORD_COUNT_JOB, { input: RAVEN }, { executors: 'local', defaultParallelism: 2 })).result as WordCountResult;
    const oracle = oracleWordCount(readFileSync(RAVEN, 'utf8'));
    expect(new Map(threaded.counts)).toEqual(oracle);
    expect(threaded.total).toBe([...oracle.values()].reduce((a, b) => a + b, 0));
    expect(threaded.frequent).toEqual(local.frequent);
    expect(threaded.frequent).toContain('the');
  });

  it('retries the task of a thread that exits, on a replacement thread, and completes', async () => {
    const markerDir = mkdtempSync(join(tmpdir(), 'barista-exit-'));
    const run = await runJobModule(FAULTY_JOB, { fault: 'exit', markerDir }, { executors: 2 });
    expect(run.result).toBe(9_900);
    expect(existsSync(join(markerDir, 'exited-once'))).toBe(true); // a thread really exited
  });

  it("fails the job with the user's error, naming stage and partition", async () => {
    await expect(runJobModule(FAULTY_JOB, { fault: 'throw' }, { executors: 2, maxFailures: 2 })).rejects.toThrow(/stage \d+ \(map \[\d+\]\) partition 1 failed 2 time\(s\); last error: cannot handle 70/);
  });

  it('detects a module that builds a different lineage on executors', async () => {
    await expect(runJobModule(FAULTY_JOB, { fault: 'lineage' }, { executors: 2, maxFailures: 1 })).rejects.toThrow(/different lineage on an executor/);
  });

  it('reports results that cannot be sent back to the driver', async () => {
    await expect(runJobModule(FAULTY_JOB, { fault: 'function' }, { executors: 2, maxFailures: 1 })).rejects.toThrow(/cannot be sent to the driver/);
  });
});
