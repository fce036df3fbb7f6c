/**
 * BatchContext (Spark's SparkContext): creates source RDDs, numbers RDDs and shuffles, runs jobs
 * through the DAG scheduler on an executor backend, writes requested checkpoints after the job
 * that first computes them, and cleans its work directory on stop.
 *
 *   const sc = new BatchContext();
 *   const counts = sc.textFile('raven.txt').flatMap(tokenize).map((w) => [w, 1] as [string, number]).reduceByKey((a, b) => a + b);
 *   console.log(await counts.takeOrdered(10, (a, b) => b[1] - a[1]));
 *   await sc.stop();
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import type { KafkaEndpoint } from '../../core/log/client/kafka-connection.js';
import { silentLogger, type Logger } from '../../core/telemetry/logger.js';
import type { ExecutorBackend } from '../executor/backend.js';
import { LocalBackend } from '../executor/local-backend.js';
import type { BatchContextLike } from '../rdd/context-like.js';
import { InvalidArgumentError } from '../rdd/errors.js';
import { PART_FILE_DIGITS } from '../rdd/limits.js';
import * as sources from '../rdd/plans/sources.js';
import { RDD } from '../rdd/rdd.js';
import { DagScheduler, type StageProgress } from '../scheduler/dag-scheduler.js';
import { ContextStoppedError } from '../scheduler/errors.js';
import { explainLineage } from '../scheduler/explain.js';
import { DEFAULT_MAX_TASK_FAILURES } from '../scheduler/limits.js';
import { DEFAULT_MEMORY_LIMIT_BYTES } from '../shuffle/index.js';
import { planLogSnapshot, type LogSnapshotPlan } from '../sources/index.js';
import { ThreadBackend } from '../executor/thread-backend.js';
import { LineageMismatchError, MissingJobModuleError } from '../executor/errors.js';

function requireJob(options: BatchContextOptions): { modulePath: string; args: Readonly<Record<string, string>> } {
  if (options.job === undefined) throw new MissingJobModuleError();
  return options.job;
}

export interface BatchContextOptions {
  /** Shuffle, spill, block and checkpoint files (default: a new temporary directory, removed on stop). */
  readonly workDirectory?: string;
  /** Tasks run at once (default: the number of cores). */
  readonly slots?: number;
  /** Estimated bytes a shuffle buffers before spilling (per task). */
  readonly memoryLimitBytes?: number;
  /** Attempts of a task before the job fails (default 4). */
  readonly maxFailures?: number;
  /** Partitions of shuffles and parallelize when none are given (default: slots). */
  readonly defaultParallelism?: number;
  readonly logger?: Logger;
  readonly onProgress?: (progress: StageProgress) => void;
  /** Where tasks run (default: in this thread). */
  readonly backend?: ExecutorBackend;
  /** Executor threads: 'local' runs tasks in this thread (default); a number starts that many
   * worker threads, which need `job` (the module they import to rebuild the lineage). */
  readonly executors?: 'local' | number;
  /** The job module this context runs (set by runJobModule). */
  readonly job?: { readonly modulePath: string; readonly args: Readonly<Record<string, string>> };
  /** Executor side only: rebuild the lineage up to job `index` instead of running jobs. */
  readonly capture?: JobCapture;
}

/** How an executor thread rebuilds a job: earlier jobs answer with the driver's results, job
 * `index` hands its RDD and function to `onCapture` and never settles. */
export interface JobCapture {
  readonly index: number;
  readonly priorResults: readonly (readonly unknown[])[];
  onCapture(rdd: RDD<unknown>, fn: (values: Iterable<unknown>, partition: number) => unknown): void;
}

export class BatchContext implements BatchContextLike {
  readonly workDirectory: string;
  readonly defaultParallelism: number;
  private readonly ownsWorkDirectory: boolean;
  private readonly backend: ExecutorBackend;
  private readonly scheduler: DagScheduler;
  private readonly checkpoints = new Map<number, string>();
  private nextRddId = 0;
  private nextShuffleId = 0;
  private jobCount = 0;
  private stopped = false;
  private readonly capture: JobCapture | undefined;
  /** Results of every job, kept when executor threads may need them to rebuild later jobs. */
  private readonly jobResults: unknown[][] = [];
  private readonly keepResults: boolean;

  constructor(options: BatchContextOptions = {}) {
    this.ownsWorkDirectory = options.workDirectory === undefined;
    this.workDirectory = options.workDirectory ?? mkdtempSync(join(tmpdir(), 'barista-batch-'));
    mkdirSync(this.workDirectory, { recursive: true });
    const executors = options.executors ?? 'local';
    const slots = options.slots ?? (executors === 'local' ? availableParallelism() : executors);
    this.defaultParallelism = options.defaultParallelism ?? slots;
    this.capture = options.capture;
    const memoryLimitBytes = options.memoryLimitBytes ?? DEFAULT_MEMORY_LIMIT_BYTES;
    this.keepResults = executors !== 'local';
    this.backend = options.backend ?? (executors === 'local'
      ? new LocalBackend(this.workDirectory, memoryLimitBytes, slots)
      : new ThreadBackend({ threads: executors, job: requireJob(options), workDirectory: this.workDirectory, memoryLimitBytes, priorResults: this.jobResults, defaultParallelism: this.defaultParallelism }));
    this.scheduler = new DagScheduler({
      backend: this.backend,
      maxFailures: options.maxFailures ?? DEFAULT_MAX_TASK_FAILURES,
      logger: options.logger ?? silentLogger(),
      checkpoints: this.checkpoints,
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    });
  }

  /** False inside executor threads rebuilding the lineage: guard driver-only side effects with it. */
  get isDriver(): boolean {
    return this.capture === undefined;
  }

  newRddId(): number {
    return this.nextRddId++;
  }

  newShuffleId(): number {
    return this.nextShuffleId++;
  }

  /** Jobs run so far. */
  get jobs(): number {
    return this.jobCount;
  }

  parallelize<T>(values: readonly T[], numSlices = this.defaultParallelism): RDD<T> {
    return new RDD(this, sources.parallelize(values, numSlices));
  }

  range(start: number, end: number, step = 1, numSlices = this.defaultParallelism): RDD<number> {
    return new RDD(this, sources.range(start, end, step, numSlices));
  }

  /** Lines of text files (a path, a list, or a directory's files), split by bytes at line boundaries. */
  textFile(paths: string | readonly string[], minPartitions = this.defaultParallelism): RDD<string> {
    return new RDD(this, sources.textFile(paths, minPartitions));
  }

  /** Every partition of `topic` from its start (or `from`) up to the offsets it has now. */
  async logSnapshot(bootstrap: KafkaEndpoint, topic: string, from?: Readonly<Record<number, number>>): Promise<{ rdd: RDD<sources.LogEntry>; plan: LogSnapshotPlan }> {
    // Planned once, on the driver: executor threads rebuilding the lineage get the same cut-offs.
    const plan = await this.driverStep(() => planLogSnapshot({ bootstrap, topic, ...(from === undefined ? {} : { from }) }));
    return { rdd: new RDD(this, sources.logSnapshot(bootstrap, plan)), plan };
  }

  async runJob<T, U>(rdd: RDD<T>, fn: (values: Iterable<T>, partition: number) => U, partitions?: readonly number[]): Promise<U[]> {
    if (this.stopped) throw new ContextStoppedError();
    const wanted = partitions ?? Array.from({ length: rdd.numPartitions }, (_, partition) => partition);
    for (const partition of wanted) {
      if (!Number.isInteger(partition) || partition < 0 || partition >= rdd.numPartitions) {
        throw new InvalidArgumentError('runJob', `partition ${partition} is not one of the ${rdd.numPartitions} partitions of ${rdd.toString()}`);
      }
    }
    const results = (await this.executeJob(rdd as RDD<unknown>, fn as (values: Iterable<unknown>, partition: number) => unknown, wanted)) as U[];
    await this.writeCheckpoints(rdd as RDD<unknown>);
    return results;
  }

  /** A value computed on the driver that executors rebuilding the lineage must see identically
   * (a log snapshot's cut-offs): numbered like jobs, its result replayed to executor threads. */
  private async driverStep<T>(compute: () => Promise<T>): Promise<T> {
    const index = this.jobCount++;
    const capture = this.capture;
    if (capture !== undefined) {
      const prior = capture.priorResults[index];
      if (prior === undefined || index >= capture.index) throw new LineageMismatchError(`the module computes driver step ${index} (a log snapshot plan) where the driver ran job ${capture.index}`);
      return prior[0] as T;
    }
    const value = await compute();
    if (this.keepResults) this.jobResults[index] = [value];
    return value;
  }

  /** Runs job number `jobCount` — or, rebuilding on an executor, answers or captures it. */
  private async executeJob(rdd: RDD<unknown>, fn: (values: Iterable<unknown>, partition: number) => unknown, partitions: readonly number[]): Promise<unknown[]> {
    const index = this.jobCount++;
    const capture = this.capture;
    if (capture !== undefined) {
      if (index === capture.index) {
        capture.onCapture(rdd, fn);
        return new Promise<never>(() => undefined); // the rebuild stops here
      }
      const prior = capture.priorResults[index];
      if (prior === undefined) throw new LineageMismatchError(`the module asked for job ${index} before job ${capture.index}, which the driver never ran`);
      return [...prior];
    }
    const results = await this.scheduler.runJob(index, rdd, fn, partitions);
    if (this.keepResults) this.jobResults[index] = results;
    return results;
  }

  unpersist(rddId: number): void {
    this.backend.unpersist(rddId);
  }

  explain(rdd: RDD<unknown>): string {
    return explainLineage(rdd, (rddId) => this.checkpoints.has(rddId));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.backend.close();
    if (this.ownsWorkDirectory) rmSync(this.workDirectory, { recursive: true, force: true });
  }

  /** Writes each RDD of the lineage that asked for a checkpoint and has none yet (deepest first). */
  private async writeCheckpoints(rdd: RDD<unknown>): Promise<void> {
    const requested: RDD<unknown>[] = [];
    const seen = new Set<number>();
    const visit = (current: RDD<unknown>): void => {
      if (seen.has(current.id) || this.checkpoints.has(current.id)) return;
      seen.add(current.id);
      for (const dependency of current.dependencies) visit(dependency.rdd);
      if (current.checkpointRequested) requested.push(current);
    };
    visit(rdd);
    for (const target of requested) {
      const directory = join(this.workDirectory, `checkpoint-${target.id}`);
      mkdirSync(directory, { recursive: true });
      await this.executeJob(target, (values, partition) => {
        writeFileSync(join(directory, `part-${String(partition).padStart(PART_FILE_DIGITS, '0')}`), serialize([...values]));
        return null;
      }, Array.from({ length: target.numPartitions }, (_, partition) => partition));
      this.checkpoints.set(target.id, directory);
    }
  }
}
