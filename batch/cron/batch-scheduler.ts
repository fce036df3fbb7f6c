/**
 * Runs a batch job module on a cron schedule (node-cron, seconds allowed), once at start, or both.
 *
 * Guarantees:
 * - One scheduler at a time runs a given job across processes and machines when given a coord
 *   client: schedulers join a leader election at `/barista/batch/<job>/leader` and only the leader
 *   fires; a standby takes over when the leader's session ends (closed, expired or crashed).
 *   Without coord nothing elects: run one scheduler per state directory.
 * - Runs never overlap: a tick while a run is going is skipped and logged (not queued).
 * - Every run leaves a record (coord znodes under `/barista/batch/<job>/runs`, or a JSON-lines
 *   file under the state directory), bounded to the newest MAX_RUN_RECORDS.
 *
 * A leader that loses leadership mid-run lets that run finish (a job cannot be interrupted
 * safely); the next leader starts only on its own next tick.
 */
import { createTask, type ScheduledTask } from 'node-cron';
import type { Subscription } from 'rxjs';
import type { CoordClient } from '../../core/coord/client/coord-client.js';
import { LeaderElection } from '../../core/coord/recipes/leader-election.js';
import { silentLogger, type Logger } from '../../core/telemetry/logger.js';
import type { BatchContextOptions } from '../context/batch-context.js';
import type { JobArguments } from '../job/job-module.js';
import { CoordRunStore, jobCoordPath } from './coord-run-store.js';
import { checkCronExpression } from './cron-expression.js';
import { NothingToScheduleError, SchedulerStateError } from './errors.js';
import { FileRunStore } from './file-run-store.js';
import { DEFAULT_STATE_DIRECTORY, MAX_RUN_RECORDS } from './limits.js';
import { runRecorded, type RunOutcome } from './recorded-run.js';
import { checkJobName, jobNameOf } from './run-record.js';
import type { RunRecordStore } from './run-store.js';

export interface BatchSchedulerOptions {
  /** A compiled job module (.js or .mjs); see batch/job/job-module.ts. */
  readonly modulePath: string;
  /** Names the election and the records (default: `<directory>-<file>` of the module). */
  readonly jobName?: string;
  readonly args?: JobArguments;
  /** node-cron expression; absent: no schedule (then runOnStart must be set). */
  readonly cron?: string;
  /** Run as soon as this scheduler leads (`--now`). */
  readonly runOnStart?: boolean;
  /** Coord client to elect and record through (owned by the caller); absent: local mode. */
  readonly coord?: CoordClient;
  /** Local mode: where run records live (default .barista/batch). */
  readonly stateDirectory?: string;
  readonly maxRunRecords?: number;
  /** IANA time zone of the cron expression (default: the process's). */
  readonly timezone?: string;
  /** Options of each run's BatchContext (slots, memory limit, ...). */
  readonly context?: BatchContextOptions;
  readonly logger?: Logger;
  readonly progressStream?: NodeJS.WriteStream;
}

export type SchedulerEnd = 'stopped' | 'session-ended';

export class BatchScheduler {
  readonly jobName: string;
  readonly store: RunRecordStore;
  /** Resolves when the scheduler ends: stop(), or the coord session ended under it. */
  readonly ended: Promise<SchedulerEnd>;
  private readonly logger: Logger;
  private readonly election: LeaderElection | undefined;
  private readonly task: ScheduledTask | undefined;
  private leadershipSubscription: Subscription | undefined;
  private current: Promise<RunOutcome> | undefined;
  private ranOnStart = false;
  private state: 'new' | 'started' | 'ended' = 'new';
  private resolveEnded!: (end: SchedulerEnd) => void;
  private readonly runWaiters: Array<{ resolve: (outcome: RunOutcome) => void; reject: (error: Error) => void }> = [];
  private counts = { runs: 0, skippedTicks: 0 };

  constructor(private readonly options: BatchSchedulerOptions) {
    if (options.cron === undefined && options.runOnStart !== true) throw new NothingToScheduleError();
    this.jobName = checkJobName(options.jobName ?? jobNameOf(options.modulePath));
    this.logger = (options.logger ?? silentLogger()).child({ job: this.jobName });
    const maxRecords = options.maxRunRecords ?? MAX_RUN_RECORDS;
    this.store = options.coord === undefined ? new FileRunStore(options.stateDirectory ?? DEFAULT_STATE_DIRECTORY, this.jobName, maxRecords) : new CoordRunStore(options.coord, this.jobName, maxRecords);
    this.election = options.coord && new LeaderElection(options.coord, `${jobCoordPath(this.jobName)}/leader`, { candidateData: JSON.stringify({ pid: process.pid, host: process.env.HOSTNAME ?? '' }) });
    if (options.cron !== undefined) {
      const expression = checkCronExpression(options.cron);
      this.task = createTask(expression, () => this.tick('cron'), { name: `barista-batch-${this.jobName}`, ...(options.timezone === undefined ? {} : { timezone: options.timezone }), logger: this.cronLogger() });
    }
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  /** Runs finished and ticks skipped because a run was still going. */
  get stats(): { readonly runs: number; readonly skippedTicks: number } {
    return { ...this.counts };
  }

  /** Whether this scheduler may fire now (always true without coord once started). */
  get isLeader(): boolean {
    return this.state === 'started' && (this.election === undefined || this.election.isLeader);
  }

  get running(): boolean {
    return this.current !== undefined;
  }

  /** Joins the election (with coord) and fires on the schedule while leading. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new SchedulerStateError(this.jobName, `start() called when ${this.state}`);
    this.state = 'started';
    if (this.election === undefined) return this.onLeadership(true);
    await this.election.start();
    this.leadershipSubscription = this.election.leadership$.subscribe({
      next: (leads) => this.onLeadership(leads),
      error: (error: unknown) => {
        this.logger.error({ error: (error as Error).message }, 'leader election failed');
        void this.end('session-ended');
      },
      complete: () => void this.end('session-ended'),
    });
  }

  /** The outcome of the next run to finish; rejects if the scheduler ends first. */
  nextRun(): Promise<RunOutcome> {
    if (this.state === 'ended') return Promise.reject(new SchedulerStateError(this.jobName, 'it has ended'));
    return new Promise((resolve, reject) => this.runWaiters.push({ resolve, reject }));
  }

  /** Stops firing, leaves the election, and waits for a run in progress to finish. */
  async stop(): Promise<void> {
    await this.end('stopped');
  }

  private async end(reason: SchedulerEnd): Promise<void> {
    if (this.state === 'ended') return;
    this.state = 'ended';
    await this.task?.destroy();
    this.leadershipSubscription?.unsubscribe();
    if (reason === 'stopped' && this.election !== undefined) await this.election.resign().catch((error: unknown) => this.logger.warn({ error: (error as Error).message }, 'could not resign'));
    if (reason === 'session-ended') this.logger.warn('coord session ended: this scheduler no longer runs the job');
    await this.current;
    for (const waiter of this.runWaiters.splice(0)) waiter.reject(new SchedulerStateError(this.jobName, `ended (${reason}) before a run finished`));
    this.resolveEnded(reason);
  }

  private onLeadership(leads: boolean): void {
    if (this.state !== 'started') return;
    if (!leads) {
      this.logger.info('standing by: another scheduler leads this job');
      void this.task?.stop();
      return;
    }
    this.logger.info({ cron: this.options.cron ?? null }, 'leading: this scheduler runs the job');
    void this.task?.start();
    if (this.options.runOnStart === true && !this.ranOnStart) {
      this.ranOnStart = true;
      this.tick('start');
    }
  }

  /** Starts a run unless one is going (then the tick is skipped) or we do not lead. */
  private tick(reason: 'cron' | 'start'): void {
    if (!this.isLeader) return;
    if (this.current !== undefined) {
      this.counts.skippedTicks += 1;
      this.logger.warn({ reason }, 'tick skipped: the previous run is still going');
      return;
    }
    this.current = this.runAndRecord().finally(() => (this.current = undefined));
  }

  private async runAndRecord(): Promise<RunOutcome> {
    const outcome = await runRecorded({
      jobName: this.jobName,
      modulePath: this.options.modulePath,
      args: this.options.args ?? {},
      context: this.options.context ?? {},
      logger: this.logger,
      ...(this.options.progressStream === undefined ? {} : { progressStream: this.options.progressStream }),
    });
    try {
      await this.store.append(outcome.record);
    } catch (error) {
      this.logger.error({ error: (error as Error).message, where: this.store.where }, 'could not record the run');
    }
    this.counts.runs += 1;
    for (const waiter of this.runWaiters.splice(0)) waiter.resolve(outcome);
    return outcome;
  }

  /** node-cron's own messages (missed executions and the like) go to our log. */
  private cronLogger() {
    const logger = this.logger;
    const text = (message: string | Error) => (message instanceof Error ? message.message : message);
    return {
      info: (message: string) => logger.debug(message),
      warn: (message: string) => logger.warn(message),
      error: (message: string | Error) => logger.error(text(message)),
      debug: (message: string | Error) => logger.debug(text(message)),
    };
  }
}
