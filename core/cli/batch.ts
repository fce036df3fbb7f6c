/**
 * `barista batch <job-module>`: runs a batch job module once (`--now`, its JSON result on stdout)
 * or on a node-cron schedule (`--cron`) until SIGINT/SIGTERM. With `--coord` only one scheduler
 * per job name runs it across machines (a standby takes over when the leader goes) and run
 * records live in coord; without it, records go to a JSON-lines file under `--state-dir`.
 *
 * A job module is JavaScript: a compiled `.js` or an `.mjs`. TypeScript job modules must be
 * compiled first (`npm run build` puts examples/… into dist/examples/…).
 */
import { existsSync } from 'node:fs';
import { InvalidArgumentError } from 'commander';
import { extname, resolve } from 'node:path';
import { CoordClient } from '../coord/client/coord-client.js';
import type { Logger } from '../telemetry/logger.js';
import { BatchScheduler, type SchedulerEnd } from '../../batch/cron/batch-scheduler.js';
import { SchedulerStateError } from '../../batch/cron/errors.js';
import type { RunOutcome } from '../../batch/cron/recorded-run.js';
import { loadJobModule } from '../../batch/job/job-module.js';

export interface BatchCommandOptions {
  cron?: string;
  now?: boolean;
  name?: string;
  coord?: string;
  coordSessionTimeout?: number;
  arg: Record<string, string>;
  stateDir: string;
  executors?: number;
}

export class BatchCommandError extends Error {
  readonly code = 'BATCH_COMMAND';
  constructor(message: string) {
    super(message);
    this.name = 'BatchCommandError';
  }
}

/** commander collector for repeated `--arg key=value`. */
export function collectJobArgument(value: string, previous: Record<string, string>): Record<string, string> {
  const equals = value.indexOf('=');
  if (equals <= 0) throw new InvalidArgumentError(`expected key=value, got "${value}"`);
  return { ...previous, [value.slice(0, equals)]: value.slice(equals + 1) };
}

/** Fails early, on one line, for a module that is missing, TypeScript, or has no default export. */
async function checkJobModule(modulePath: string): Promise<void> {
  if (!existsSync(modulePath)) throw new BatchCommandError(`job module ${modulePath} does not exist (TypeScript jobs must be compiled: npm run build puts examples/… into dist/examples/…)`);
  if (['.ts', '.mts', '.cts'].includes(extname(modulePath))) throw new BatchCommandError(`job module ${modulePath} is TypeScript: compile it and pass the .js (npm run build puts examples/… into dist/examples/…)`);
  try {
    await loadJobModule(modulePath);
  } catch (error) {
    throw new BatchCommandError((error as Error).message.split('\n')[0] ?? String(error));
  }
}

export async function runBatch(modulePathArgument: string, options: BatchCommandOptions, logger: Logger): Promise<void> {
  const modulePath = resolve(modulePathArgument);
  await checkJobModule(modulePath);
  const coord = options.coord === undefined ? undefined : await CoordClient.connect(options.coord, options.coordSessionTimeout === undefined ? {} : { sessionTimeoutMs: options.coordSessionTimeout });
  try {
    const scheduler = new BatchScheduler({
      modulePath,
      args: options.arg,
      logger,
      stateDirectory: resolve(options.stateDir),
      ...(options.cron === undefined ? {} : { cron: options.cron }),
      ...(options.now === true ? { runOnStart: true } : {}),
      ...(options.name === undefined ? {} : { jobName: options.name }),
      ...(coord === undefined ? {} : { coord }),
      ...(options.executors === undefined ? {} : { context: { executors: options.executors } }),
    });
    if (options.cron === undefined) await runOnce(scheduler);
    else await runScheduled(scheduler, logger);
  } finally {
    await coord?.close();
  }
}

/** `--now` alone: one run (after winning the election, with coord), its result on stdout. */
async function runOnce(scheduler: BatchScheduler): Promise<void> {
  const outcome: Promise<RunOutcome> = scheduler.nextRun();
  await scheduler.start();
  const ended = scheduler.ended.then((end: SchedulerEnd): never => {
    throw new SchedulerStateError(scheduler.jobName, `ended (${end}) before its run`);
  });
  const { record, result } = await Promise.race([outcome, ended]);
  await scheduler.stop();
  if (record.status === 'failed') throw new BatchCommandError(`job ${scheduler.jobName} failed: ${record.error ?? 'unknown error'}`);
  process.stdout.write(`${JSON.stringify(result ?? null)}\n`);
}

/** `--cron`: fire on the schedule until a signal; a lost coord session is an error (restart me). */
async function runScheduled(scheduler: BatchScheduler, logger: Logger): Promise<void> {
  const onSignal = (signal: string) => {
    logger.info({ signal }, 'stopping the scheduler');
    void scheduler.stop();
  };
  const onSigterm = () => onSignal('SIGTERM');
  const onSigint = () => onSignal('SIGINT');
  process.once('SIGTERM', onSigterm);
  process.once('SIGINT', onSigint);
  try {
    await scheduler.start();
    logger.info({ job: scheduler.jobName, records: scheduler.store.where }, 'scheduler started');
    const end = await scheduler.ended;
    if (end === 'session-ended') throw new BatchCommandError(`coord session of job ${scheduler.jobName} ended: restart the scheduler to rejoin`);
  } finally {
    process.off('SIGTERM', onSigterm);
    process.off('SIGINT', onSigint);
  }
}
