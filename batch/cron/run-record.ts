/**
 * What a scheduler remembers of each run: when it started and finished, whether it succeeded (or
 * the error), how many jobs (actions) it ran, and the `cutOffs` the job returned — so the next
 * run, or a serving view, knows which log offsets the result covers.
 */
import { basename, dirname, extname } from 'node:path';
import { CorruptRunRecordError, InvalidJobNameError, RunRecordTooLargeError } from './errors.js';
import { MAX_JOB_NAME_CHARS, MAX_RECORDED_ERROR_CHARS, MAX_RUN_RECORD_BYTES } from './limits.js';

export type RunStatus = 'succeeded' | 'failed';

export interface RunRecord {
  readonly runId: string;
  readonly job: string;
  /** ISO-8601 times. */
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly durationMs: number;
  readonly status: RunStatus;
  /** Present when status is failed. */
  readonly error?: string;
  /** Jobs (actions) the run executed; for a failed run, those that had started. */
  readonly jobs: number;
  /** The scheduler that ran it: `<host>/<pid>`. */
  readonly ranBy?: string;
  /** The `cutOffs` of the job's result object, when it returned some. */
  readonly cutOffs?: unknown;
}

const JOB_NAME = new RegExp(`^[A-Za-z0-9._-]{1,${MAX_JOB_NAME_CHARS}}$`);

export function checkJobName(name: string): string {
  if (!JOB_NAME.test(name) || name === '.' || name === '..') throw new InvalidJobNameError(name);
  return name;
}

/** The default job name: `<directory>-<file>` without extension (dist/examples/wordcount/batch.js → wordcount-batch). */
export function jobNameOf(modulePath: string): string {
  const file = basename(modulePath, extname(modulePath));
  const directory = basename(dirname(modulePath));
  const name = `${directory}-${file}`.replace(/[^A-Za-z0-9._-]/g, '_').slice(-MAX_JOB_NAME_CHARS);
  return checkJobName(name.replace(/^[.-]+/, '') || 'job');
}

/** The `cutOffs` property of a job's result, if the result is an object that has one. */
export function cutOffsOf(result: unknown): unknown {
  if (typeof result !== 'object' || result === null || !('cutOffs' in result)) return undefined;
  return (result as { cutOffs?: unknown }).cutOffs;
}

export function truncatedErrorMessage(error: unknown): string {
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return message.length <= MAX_RECORDED_ERROR_CHARS ? message : `${message.slice(0, MAX_RECORDED_ERROR_CHARS)}…`;
}

export function encodeRunRecord(record: RunRecord): Buffer {
  const encoded = Buffer.from(JSON.stringify(record));
  if (encoded.length > MAX_RUN_RECORD_BYTES) throw new RunRecordTooLargeError(record.job, encoded.length);
  return encoded;
}

export function decodeRunRecord(data: Buffer | string, where: string): RunRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data.toString());
  } catch (error) {
    throw new CorruptRunRecordError(where, (error as Error).message);
  }
  const record = parsed as Partial<RunRecord> | null;
  if (typeof record !== 'object' || record === null || typeof record.runId !== 'string' || (record.status !== 'succeeded' && record.status !== 'failed')) {
    throw new CorruptRunRecordError(where, 'not a run record (runId and status succeeded|failed expected)');
  }
  return record as RunRecord;
}
