/** Typed errors of the batch scheduler: each names the offending value and what to do instead. */
import { MAX_JOB_NAME_CHARS, MAX_RUN_RECORD_BYTES } from './limits.js';

export class InvalidCronExpressionError extends Error {
  readonly code = 'INVALID_CRON_EXPRESSION';
  constructor(readonly expression: string, detail: string) {
    super(`invalid cron expression "${expression}": ${detail}; use 5 or 6 fields ([second] minute hour day-of-month month day-of-week), e.g. "*/5 * * * *"`);
    this.name = 'InvalidCronExpressionError';
  }
}

export class InvalidJobNameError extends Error {
  readonly code = 'INVALID_JOB_NAME';
  constructor(readonly jobName: string) {
    super(`invalid job name "${jobName}": use 1 to ${MAX_JOB_NAME_CHARS} letters, digits, '.', '_' or '-' (it names a coord path and a directory)`);
    this.name = 'InvalidJobNameError';
  }
}

export class NothingToScheduleError extends Error {
  readonly code = 'NOTHING_TO_SCHEDULE';
  constructor() {
    super('nothing to run: give a cron expression (--cron "<expr>"), or run once now (--now), or both');
    this.name = 'NothingToScheduleError';
  }
}

export class RunRecordTooLargeError extends Error {
  readonly code = 'RUN_RECORD_TOO_LARGE';
  constructor(readonly jobName: string, readonly sizeBytes: number) {
    super(`run record of job "${jobName}" is ${sizeBytes} bytes, over the limit of ${MAX_RUN_RECORD_BYTES}: return smaller cutOffs from the job`);
    this.name = 'RunRecordTooLargeError';
  }
}

export class CorruptRunRecordError extends Error {
  readonly code = 'CORRUPT_RUN_RECORD';
  constructor(readonly where: string, detail: string) {
    super(`run record at ${where} cannot be read: ${detail}`);
    this.name = 'CorruptRunRecordError';
  }
}

export class SchedulerStateError extends Error {
  readonly code = 'SCHEDULER_STATE';
  constructor(readonly jobName: string, detail: string) {
    super(`scheduler of job "${jobName}": ${detail}`);
    this.name = 'SchedulerStateError';
  }
}
