/**
 * Messages between the driver's thread backend and its executor threads.
 */
import type { MapStatus } from '../shuffle/index.js';
import type { TaskOutput } from './task-runner.js';

export interface ExecutorInit {
  readonly executorId: number;
  readonly modulePath: string;
  readonly args: Readonly<Record<string, string>>;
  readonly workDirectory: string;
  readonly memoryLimitBytes: number;
  /** The driver's, so partition counts built from it agree. */
  readonly defaultParallelism: number;
}

export interface TaskMessage {
  readonly type: 'task';
  readonly taskId: number;
  readonly jobIndex: number;
  /** Results of earlier jobs this executor has not been sent yet, from index `priorFrom`. */
  readonly priorFrom: number;
  readonly priorResults: readonly (readonly unknown[] | undefined)[];
  readonly kind: 'shuffleMap' | 'result';
  readonly stageId: number;
  readonly rddId: number;
  readonly shuffleId?: number;
  readonly partition: number;
  readonly attempt: number;
  readonly fingerprint: string;
  readonly mapOutputs: readonly (readonly [number, readonly MapStatus[]])[];
  readonly checkpoints: readonly (readonly [number, string])[];
}

export interface RemoteError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly fetchFailed?: { readonly shuffleId: number; readonly mapPartition: number; readonly path: string; readonly reason: string };
}

export type ExecutorReply =
  | { readonly type: 'done'; readonly taskId: number; readonly output: TaskOutput }
  | { readonly type: 'failed'; readonly taskId: number; readonly error: RemoteError };
