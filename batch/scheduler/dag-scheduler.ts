/**
 * Runs jobs (Spark's DAGScheduler + TaskScheduler, for one driver): a job's lineage is cut into
 * stages, missing shuffle-map stages run first (parents before children, independent ones side
 * by side), then the result stage; each stage runs one task per partition on the backend, at most
 * `slots` at a time.
 *
 * Faults: a task that throws is retried up to `maxFailures` attempts, then the job fails with the
 * user's error, naming stage and partition. A task that finds a shuffle output missing or torn
 * (ShuffleFetchFailedError) does not count as a failure: that map output is forgotten, its stage
 * recomputes the missing partitions from lineage, and the reading stage runs again.
 */
import { forEachBounded } from '../../core/async/bounded-concurrency.js';
import type { Logger } from '../../core/telemetry/logger.js';
import type { RDD } from '../rdd/rdd.js';
import { ShuffleFetchFailedError, type MapStatus } from '../shuffle/index.js';
import type { ExecutorBackend } from '../executor/backend.js';
import type { ResolvedTask } from '../executor/task-runner.js';
import { JobFailedError } from './errors.js';
import { MAX_STAGE_ATTEMPTS } from './limits.js';
import { StageBuilder, type ResultStage, type ShuffleMapStage, type Stage } from './stages.js';

export interface StageProgress {
  readonly jobIndex: number;
  readonly stageId: number;
  readonly name: string;
  readonly done: number;
  readonly total: number;
}

export interface DagSchedulerOptions {
  readonly backend: ExecutorBackend;
  readonly maxFailures: number;
  readonly logger: Logger;
  readonly checkpoints: ReadonlyMap<number, string>;
  readonly onProgress?: (progress: StageProgress) => void;
}

type PartitionFunction = (values: Iterable<unknown>, partition: number) => unknown;

export function stageName(stage: Stage): string {
  return `${stage.rdd.plan.name} [${stage.rdd.id}]`;
}

export class DagScheduler {
  readonly stages: StageBuilder;
  private readonly mapOutputs = new Map<number, (MapStatus | undefined)[]>();

  constructor(private readonly options: DagSchedulerOptions) {
    this.stages = new StageBuilder((rddId) => options.checkpoints.has(rddId));
  }

  async runJob(jobIndex: number, rdd: RDD<unknown>, fn: PartitionFunction, partitions: readonly number[]): Promise<unknown[]> {
    const graph = this.stages.build(rdd, partitions);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ensureStages(jobIndex, graph.result.parents);
        return await this.runResultStage(jobIndex, graph.result, fn);
      } catch (error) {
        if (!(error instanceof ShuffleFetchFailedError) || attempt >= MAX_STAGE_ATTEMPTS) throw error;
        this.options.logger.warn({ shuffleId: error.shuffleId, mapPartition: error.mapPartition }, 'shuffle output lost; recomputing it from lineage');
        this.forgetMapOutput(error.shuffleId, error.mapPartition);
      }
    }
  }

  /** Map outputs known for `shuffleId` (complete or not). */
  outputsOf(shuffleId: number): readonly (MapStatus | undefined)[] {
    return this.mapOutputs.get(shuffleId) ?? [];
  }

  private forgetMapOutput(shuffleId: number, mapPartition: number): void {
    const outputs = this.mapOutputs.get(shuffleId);
    if (outputs !== undefined) outputs[mapPartition] = undefined;
  }

  private missingPartitions(stage: ShuffleMapStage): number[] {
    const outputs = this.mapOutputs.get(stage.dependency.shuffleId) ?? [];
    return Array.from({ length: stage.numTasks }, (_, partition) => partition).filter((partition) => outputs[partition] === undefined);
  }

  /** Runs every listed stage (and its parents first) that has missing outputs. */
  private async ensureStages(jobIndex: number, stages: readonly ShuffleMapStage[]): Promise<void> {
    await Promise.all(stages.map((stage) => this.ensureStage(jobIndex, stage)));
  }

  private async ensureStage(jobIndex: number, stage: ShuffleMapStage): Promise<void> {
    for (let attempt = 1; this.missingPartitions(stage).length > 0; attempt++) {
      await this.ensureStages(jobIndex, stage.parents);
      try {
        await this.runShuffleMapStage(jobIndex, stage);
      } catch (error) {
        if (!(error instanceof ShuffleFetchFailedError) || attempt >= MAX_STAGE_ATTEMPTS) throw error;
        this.forgetMapOutput(error.shuffleId, error.mapPartition);
      }
    }
  }

  private async runShuffleMapStage(jobIndex: number, stage: ShuffleMapStage): Promise<void> {
    const outputs = this.mapOutputs.get(stage.dependency.shuffleId) ?? new Array<MapStatus | undefined>(stage.numTasks).fill(undefined);
    this.mapOutputs.set(stage.dependency.shuffleId, outputs);
    await this.runTasks(jobIndex, stage, this.missingPartitions(stage), (partition, attempt) => ({
      kind: 'shuffleMap', stageId: stage.id, rdd: stage.rdd, dependency: stage.dependency, partition, attempt,
    }), (partition, output) => {
      if (output.kind === 'mapStatus') outputs[partition] = output.status;
    });
  }

  private async runResultStage(jobIndex: number, stage: ResultStage, fn: PartitionFunction): Promise<unknown[]> {
    const results = new Map<number, unknown>();
    await this.runTasks(jobIndex, stage, stage.partitions, (partition, attempt) => ({
      kind: 'result', stageId: stage.id, rdd: stage.rdd, partition, attempt, fn,
    }), (partition, output) => {
      if (output.kind === 'result') results.set(partition, output.value);
    });
    return stage.partitions.map((partition) => results.get(partition));
  }

  private async runTasks(
    jobIndex: number,
    stage: Stage,
    partitions: readonly number[],
    makeTask: (partition: number, attempt: number) => ResolvedTask,
    onOutput: (partition: number, output: Awaited<ReturnType<ExecutorBackend['run']>>) => void,
  ): Promise<void> {
    const total = partitions.length;
    let done = 0;
    const report = (): void => this.options.onProgress?.({ jobIndex, stageId: stage.id, name: stageName(stage), done, total });
    report();
    const mapOutputs = this.completeOutputs();
    await forEachBounded(partitions, this.options.backend.slots, async (partition) => {
      for (let attempt = 1; ; attempt++) {
        try {
          const output = await this.options.backend.run({ task: makeTask(partition, attempt), jobIndex, mapOutputs, checkpoints: this.options.checkpoints });
          onOutput(partition, output);
          done++;
          report();
          return;
        } catch (error) {
          if (error instanceof ShuffleFetchFailedError) throw error;
          this.options.logger.warn({ stage: stage.id, partition, attempt, err: error }, 'task failed');
          if (attempt >= this.options.maxFailures) throw new JobFailedError(stage.id, stageName(stage), partition, attempt, error);
        }
      }
    });
  }

  private completeOutputs(): Map<number, readonly MapStatus[]> {
    const complete = new Map<number, readonly MapStatus[]>();
    for (const [shuffleId, outputs] of this.mapOutputs) {
      if (outputs.every((output) => output !== undefined)) complete.set(shuffleId, outputs as MapStatus[]);
    }
    return complete;
  }
}
