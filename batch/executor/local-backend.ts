/**
 * The in-process backend ("local mode"): tasks run on this thread, one at a time per slot, with
 * a block store of their own. Closures are the driver's own objects, so anything works; used by
 * tests and small jobs, and as the reference the thread backend must agree with.
 */
import { LocalBlockStore } from './block-store.js';
import type { ExecutorBackend, TaskRequest } from './backend.js';
import { runTask, type TaskOutput } from './task-runner.js';

export class LocalBackend implements ExecutorBackend {
  private readonly blocks: LocalBlockStore;

  constructor(
    private readonly workDirectory: string,
    private readonly memoryLimitBytes: number,
    readonly slots = 1,
  ) {
    this.blocks = new LocalBlockStore(workDirectory);
  }

  async run(request: TaskRequest): Promise<TaskOutput> {
    // Yield first so a stage's tasks interleave with I/O (a prefetch over the network).
    await new Promise((resolve) => setImmediate(resolve));
    return runTask(request.task, {
      workDirectory: this.workDirectory,
      memoryLimitBytes: this.memoryLimitBytes,
      blocks: this.blocks,
      mapOutputs: request.mapOutputs,
      checkpoints: request.checkpoints,
    });
  }

  unpersist(rddId: number): void {
    this.blocks.remove(rddId);
  }

  async close(): Promise<void> {}
}
