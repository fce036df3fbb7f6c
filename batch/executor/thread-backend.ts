/**
 * Executor threads (worker_threads), one task at a time each. Tasks travel as ids: the thread
 * rebuilt the same lineage from the job module, so the driver sends the job index, the RDD (or
 * shuffle) id, the partition, the shuffle outputs to read, a fingerprint of the lineage to check,
 * and the results of earlier jobs the thread has not seen. A thread that dies (process.exit in a
 * task, out of memory) fails its task with ExecutorLostError — retried like any failure — and is
 * replaced.
 */
import { Worker } from 'node:worker_threads';
import type { RDD } from '../rdd/rdd.js';
import { ShuffleFetchFailedError } from '../shuffle/index.js';
import type { ExecutorBackend, TaskRequest } from './backend.js';
import { compiledModulePath, workerEntryPath } from './compiled-path.js';
import { ExecutorLostError, RemoteTaskError } from './errors.js';
import { lineageFingerprint } from './lineage.js';
import type { TaskOutput } from './task-runner.js';
import type { ExecutorInit, ExecutorReply, RemoteError, TaskMessage } from './thread-messages.js';

export interface ThreadBackendOptions {
  readonly threads: number;
  readonly job: { readonly modulePath: string; readonly args: Readonly<Record<string, string>> };
  readonly workDirectory: string;
  readonly memoryLimitBytes: number;
  /** The driver's job results by index (filled as jobs finish). */
  readonly priorResults: readonly (readonly unknown[] | undefined)[];
  readonly defaultParallelism?: number;
}

interface Pending {
  resolve(output: TaskOutput): void;
  reject(error: Error): void;
}

class ExecutorThread {
  readonly worker: Worker;
  pending: { taskId: number; handlers: Pending } | undefined;
  /** Prior job results already sent: indexes below this. */
  sentResults = 0;

  constructor(readonly id: number, init: ExecutorInit, onExit: (thread: ExecutorThread, detail: string) => void) {
    this.worker = new Worker(workerEntryPath(), { workerData: init });
    this.worker.on('message', (reply: ExecutorReply) => this.settle(reply));
    this.worker.on('error', (error) => onExit(this, error.message));
    this.worker.on('exit', (code) => onExit(this, `exited with code ${code}`));
  }

  private settle(reply: ExecutorReply): void {
    const pending = this.pending;
    if (pending === undefined || pending.taskId !== reply.taskId) return;
    this.pending = undefined;
    if (reply.type === 'done') pending.handlers.resolve(reply.output);
    else pending.handlers.reject(fromRemote(reply.error));
  }
}

function fromRemote(error: RemoteError): Error {
  if (error.fetchFailed !== undefined) {
    const { shuffleId, mapPartition, path, reason } = error.fetchFailed;
    return new ShuffleFetchFailedError(shuffleId, mapPartition, path, reason);
  }
  return new RemoteTaskError(error.message, error.name, error.stack);
}

export class ThreadBackend implements ExecutorBackend {
  readonly slots: number;
  private readonly threads: ExecutorThread[] = [];
  private readonly idle: ExecutorThread[] = [];
  private readonly waiting: ((thread: ExecutorThread) => void)[] = [];
  private nextTaskId = 0;
  private nextExecutorId = 0;
  private closed = false;

  constructor(private readonly options: ThreadBackendOptions) {
    this.slots = options.threads;
    for (let index = 0; index < options.threads; index++) this.spawn();
  }

  async run(request: TaskRequest): Promise<TaskOutput> {
    const thread = await this.acquire();
    const { task } = request;
    const message: TaskMessage = {
      type: 'task',
      taskId: this.nextTaskId++,
      jobIndex: request.jobIndex,
      priorFrom: thread.sentResults,
      priorResults: this.options.priorResults.slice(thread.sentResults, request.jobIndex),
      kind: task.kind,
      stageId: task.stageId,
      rddId: task.rdd.id,
      ...(task.kind === 'shuffleMap' ? { shuffleId: task.dependency.shuffleId } : {}),
      partition: task.partition,
      attempt: task.attempt,
      fingerprint: lineageFingerprint(task.rdd as RDD<unknown>),
      mapOutputs: [...request.mapOutputs],
      checkpoints: [...request.checkpoints],
    };
    thread.sentResults = Math.max(thread.sentResults, request.jobIndex);
    try {
      return await new Promise<TaskOutput>((resolve, reject) => {
        thread.pending = { taskId: message.taskId, handlers: { resolve, reject } };
        thread.worker.postMessage(message);
      });
    } finally {
      this.release(thread);
    }
  }

  unpersist(): void {
    // Blocks persisted in executor threads are dropped with the threads; disk blocks are rewritten on demand.
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((thread) => thread.worker.terminate()));
  }

  private spawn(): void {
    const init: ExecutorInit = {
      executorId: this.nextExecutorId++,
      modulePath: compiledModulePath(this.options.job.modulePath),
      args: this.options.job.args,
      workDirectory: this.options.workDirectory,
      memoryLimitBytes: this.options.memoryLimitBytes,
      defaultParallelism: this.options.defaultParallelism ?? this.options.threads,
    };
    const thread = new ExecutorThread(init.executorId, init, (lost, detail) => this.lose(lost, detail));
    this.threads.push(thread);
    this.release(thread);
  }

  private lose(thread: ExecutorThread, detail: string): void {
    const index = this.threads.indexOf(thread);
    if (index < 0) return;
    this.threads.splice(index, 1);
    const idleIndex = this.idle.indexOf(thread);
    if (idleIndex >= 0) this.idle.splice(idleIndex, 1);
    thread.pending?.handlers.reject(new ExecutorLostError(thread.id, detail));
    thread.pending = undefined;
    if (!this.closed) this.spawn();
  }

  private acquire(): Promise<ExecutorThread> {
    const thread = this.idle.pop();
    if (thread !== undefined) return Promise.resolve(thread);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(thread: ExecutorThread): void {
    if (!this.threads.includes(thread)) return; // lost meanwhile
    const next = this.waiting.shift();
    if (next !== undefined) next(thread);
    else this.idle.push(thread);
  }
}
