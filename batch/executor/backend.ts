/**
 * Where tasks run. The scheduler hands a backend resolved tasks (the RDD objects and the job's
 * function, as built in the driver) plus what they need to read; the in-process backend runs them
 * here, a thread backend ships their ids to executor threads that rebuilt the same lineage.
 */
import type { MapStatus } from '../shuffle/index.js';
import type { ResolvedTask, TaskOutput } from './task-runner.js';

export interface TaskRequest {
  readonly task: ResolvedTask;
  /** Job index within the context (an executor thread rebuilds the lineage up to this job). */
  readonly jobIndex: number;
  readonly mapOutputs: ReadonlyMap<number, readonly MapStatus[]>;
  readonly checkpoints: ReadonlyMap<number, string>;
}

export interface ExecutorBackend {
  /** Tasks that may run at once. */
  readonly slots: number;
  run(request: TaskRequest): Promise<TaskOutput>;
  /** Forget persisted partitions of an RDD. */
  unpersist(rddId: number): void;
  close(): Promise<void>;
}
