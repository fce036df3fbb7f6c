/** Run records without coord: JSON lines in the state directory, the newest kept, corrupt lines named. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CorruptRunRecordError, RunRecordTooLargeError } from './errors.js';
import { FileRunStore } from './file-run-store.js';
import { MAX_RUN_RECORD_BYTES } from './limits.js';
import type { RunRecord } from './run-record.js';

const directories: string[] = [];
const record = (index: number, extra: Partial<RunRecord> = {}): RunRecord => ({ runId: `run-${index}`, job: 'job', startedAt: new Date(index).toISOString(), finishedAt: new Date(index + 1).toISOString(), durationMs: 1, status: 'succeeded', jobs: 1, ...extra });

function store(maxRecords: number): FileRunStore {
  const directory = mkdtempSync(join(tmpdir(), 'barista-run-store-'));
  directories.push(directory);
  return new FileRunStore(directory, 'job', maxRecords);
}

afterEach(() => {
  for (const directory of directories.splice(0)) rmSync(directory, { recursive: true, force: true });
});

describe('file run store', () => {
  it('lists nothing before the first run', async () => {
    expect(await store(3).list()).toEqual([]);
  });

  it('keeps only the newest records, oldest first, one JSON line each', async () => {
    const runs = store(3);
    for (let index = 0; index < 5; index += 1) await runs.append(record(index, index === 4 ? { status: 'failed', error: 'Error: boom', jobs: 0 } : { cutOffs: { topic: 't', partitions: { 0: index } } }));
    expect((await runs.list()).map((each) => each.runId)).toEqual(['run-2', 'run-3', 'run-4']);
    expect(readFileSync(runs.where, 'utf8').trim().split('\n')).toHaveLength(3);
    expect((await runs.list())[2]).toMatchObject({ status: 'failed', error: 'Error: boom' });
  });

  it('names a corrupt line and refuses an oversized record', async () => {
    const runs = store(3);
    await runs.append(record(0));
    appendFileSync(runs.where, 'not json\n');
    await expect(runs.list()).rejects.toThrow(CorruptRunRecordError);
    await expect(runs.list()).rejects.toThrow(/runs\.jsonl:2/);
    await expect(runs.append(record(1, { cutOffs: 'x'.repeat(MAX_RUN_RECORD_BYTES) }))).rejects.toThrow(RunRecordTooLargeError);
  });
});
