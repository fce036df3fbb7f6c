/**
 * `barista batch` as a user runs it (the compiled CLI from dist/, a real process): `--now` prints
 * the job's JSON result and exits 0; with `--coord` (a real `barista coord` process) the run is
 * recorded in coord; bad input — a bad cron expression, a missing or TypeScript module, nothing to
 * run, a failing job — gives one clear error line and a non-zero exit.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordClient } from '../coord/client/coord-client.js';
import { BARISTA_BIN, runBarista } from '../../test/support/barista.js';
import { startCoordEnsemble, type CoordEnsemble } from '../../test/support/coord.js';
import { startProcess } from '../../test/support/processes.js';
import { until } from '../../test/support/until.js';
import { oracleWordCount, topWords } from '../../test/support/word-count-oracle.js';
import { CoordRunStore } from '../../batch/cron/coord-run-store.js';
import { packageRoot, ravenPath } from './package-root.js';

const WORD_COUNT_JOB = join(packageRoot(), 'dist', 'examples', 'wordcount', 'batch.js');

let stateDirectory: string;
let oracle: Map<string, number>;

beforeAll(() => {
  stateDirectory = mkdtempSync(join(tmpdir(), 'barista-batch-cli-'));
  oracle = oracleWordCount(readFileSync(ravenPath(), 'utf8'));
});
afterAll(() => {
  rmSync(stateDirectory, { recursive: true, force: true });
});

/** The one line of a failed command's stderr (logs are silenced). */
function errorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('barista batch', () => {
  it('--now runs the word count once and prints its JSON result', async () => {
    const { code, stdout, stderr } = await runBarista(['--log-level', 'silent', 'batch', WORD_COUNT_JOB, '--now', '--state-dir', stateDirectory]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ distinctWords: oracle.size, totalWords: [...oracle.values()].reduce((sum, count) => sum + count, 0), top: topWords(oracle, 10) });
    const records = readFileSync(join(stateDirectory, 'wordcount-batch', 'runs.jsonl'), 'utf8').trim().split('\n');
    expect(JSON.parse(records.at(-1)!)).toMatchObject({ job: 'wordcount-batch', status: 'succeeded', jobs: 2 });
  });

  it('passes --arg values to the job', async () => {
    const { code, stdout } = await runBarista(['--log-level', 'silent', 'batch', WORD_COUNT_JOB, '--now', '--state-dir', stateDirectory, '--arg', `input=${ravenPath()}`, '--executors', '2']);
    expect(code).toBe(0);
    expect((JSON.parse(stdout) as { distinctWords: number }).distinctWords).toBe(oracle.size);
  });

  it('a failing job: one error line naming the job and the error, exit 1', async () => {
    const { code, stdout, stderr } = await runBarista(['--log-level', 'silent', 'batch', WORD_COUNT_JOB, '--now', '--state-dir', stateDirectory, '--arg', 'input=/no/such/file.txt']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(errorLine(stderr)).toMatch(/^barista: job wordcount-batch failed: .*\/no\/such\/file\.txt/);
  });

  it.each([
    ['a bad cron expression', [WORD_COUNT_JOB, '--cron', '61 * * * *'], /^barista: invalid cron expression "61 \* \* \* \*": minute/],
    ['a missing module', ['dist/no-such-job.js', '--now'], /^barista: job module .*no-such-job\.js does not exist/],
    ['a TypeScript module', [join(packageRoot(), 'examples', 'wordcount', 'batch.ts'), '--now'], /^barista: job module .*batch\.ts is TypeScript: compile it/],
    ['nothing to run', [WORD_COUNT_JOB], /^barista: nothing to run: give a cron expression/],
  ])('%s: one clear error line, exit non-zero', async (_case, args, message) => {
    const { code, stderr } = await runBarista(['--log-level', 'silent', 'batch', ...args, '--state-dir', stateDirectory]);
    expect(code).not.toBe(0);
    expect(errorLine(stderr)).toMatch(message);
  });

  describe('with --coord', () => {
    let ensemble: CoordEnsemble;
    beforeAll(async () => {
      ensemble = await startCoordEnsemble({ servers: 1, tickTimeMs: 500 });
    }, 30_000);
    afterAll(async () => {
      await ensemble.stop();
    });

    it('--now wins the election, runs once and records the run in coord', async () => {
      const { code, stdout } = await runBarista(['--log-level', 'silent', 'batch', WORD_COUNT_JOB, '--now', '--coord', ensemble.connectString, '--name', 'raven-count']);
      expect(code).toBe(0);
      expect((JSON.parse(stdout) as { distinctWords: number }).distinctWords).toBe(oracle.size);
      const client = await CoordClient.connect(ensemble.connectString);
      try {
        const runs = await client.getChildren('/barista/batch/raven-count/runs');
        expect(runs).toHaveLength(1);
        const record = JSON.parse((await client.getData(`/barista/batch/raven-count/runs/${runs[0]!}`)).data.toString()) as Record<string, unknown>;
        expect(record).toMatchObject({ job: 'raven-count', status: 'succeeded', jobs: 2 });
        expect(await client.getChildren('/barista/batch/raven-count/leader')).toEqual([]);
      } finally {
        await client.close();
      }
    });

    it('--cron in two processes: only one runs the job; after kill -9 of it the other takes over; SIGTERM stops cleanly', async () => {
      const args = [BARISTA_BIN, '--log-level', 'warn', 'batch', WORD_COUNT_JOB, '--cron', '* * * * * *', '--coord', ensemble.connectString, '--name', 'failover', '--coord-session-timeout', '2000'];
      const first = await startProcess({ name: 'batch scheduler 1', command: process.execPath, args, ready: async () => true });
      const second = await startProcess({ name: 'batch scheduler 2', command: process.execPath, args, ready: async () => true });
      const client = await CoordClient.connect(ensemble.connectString);
      try {
        const store = new CoordRunStore(client, 'failover');
        const ranBy = async (pid: number) => (await store.list()).filter((record) => record.ranBy?.endsWith(`/${pid}`));
        await until('two recorded runs', async () => (await store.list()).length >= 2, 20_000);
        const runners = new Set((await store.list()).map((record) => record.ranBy));
        expect(runners.size).toBe(1);
        const [leader, standby] = (await ranBy(first.pid)).length > 0 ? [first, second] : [second, first];
        await leader.kill9();
        await until('two runs by the standby', async () => (await ranBy(standby.pid)).length >= 2, 20_000);
        const lastLeaderFinishMs = Math.max(...(await ranBy(leader.pid)).map((record) => Date.parse(record.finishedAt)));
        for (const record of await ranBy(standby.pid)) expect(Date.parse(record.startedAt)).toBeGreaterThanOrEqual(lastLeaderFinishMs);
        await standby.stop();
        expect(await standby.waitForExit()).toBe(0);
      } finally {
        await client.close();
        await Promise.all([first.kill9(), second.kill9()]);
      }
    }, 60_000);
  });
});
