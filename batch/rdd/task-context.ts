/**
 * What an RDD's compute sees while running as part of one task: where shuffle outputs are and how
 * to read them, the executor's block store (persisted partitions), limits, and the attempt.
 */
import type { MapStatus } from '../shuffle/index.js';

export interface BlockStore {
  get(rddId: number, partition: number): readonly unknown[] | undefined;
  put(rddId: number, partition: number, values: readonly unknown[], level: StorageLevel): void;
  remove(rddId: number): void;
}

export type StorageLevel = 'MEMORY' | 'DISK' | 'MEMORY_AND_DISK';

export interface TaskContext {
  readonly stageId: number;
  readonly partition: number;
  readonly attempt: number;
  /** Directory for shuffle, spill and disk-persisted files (shared by the executors). */
  readonly workDirectory: string;
  /** Map outputs of each shuffle the task reads, by shuffle id. */
  mapOutputs(shuffleId: number): readonly MapStatus[];
  readonly memoryLimitBytes: number;
  readonly blocks: BlockStore;
  /** Checkpoint directory of a checkpointed RDD, if the driver says it has been written. */
  checkpointOf(rddId: number): string | undefined;
}
