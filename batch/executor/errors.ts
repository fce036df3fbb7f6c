/**
 * Errors of executor threads: what the driver sees when an executor cannot rebuild or run a task.
 */

/** The job module built a different lineage on an executor than on the driver (non-deterministic
 * code before an action: random partition counts, reading a changing file list, …). */
export class LineageMismatchError extends Error {
  readonly code = 'LINEAGE_MISMATCH';
  constructor(detail: string) {
    super(`the job module built a different lineage on an executor than on the driver: ${detail}; the code that builds RDDs must be deterministic`);
    this.name = 'LineageMismatchError';
  }
}

export class MissingJobModuleError extends Error {
  readonly code = 'MISSING_JOB_MODULE';
  constructor() {
    super('executor threads rebuild the lineage from the job module: run the job with runJobModule (or give the `job` option), or use executors: "local"');
    this.name = 'MissingJobModuleError';
  }
}

/** An executor thread died (process.exit, out of memory) while running a task. */
export class ExecutorLostError extends Error {
  readonly code = 'EXECUTOR_LOST';
  constructor(readonly executorId: number, detail: string) {
    super(`executor ${executorId} was lost: ${detail}`);
    this.name = 'ExecutorLostError';
  }
}

/** A task failed in an executor thread; carries what the thread reported. */
export class RemoteTaskError extends Error {
  readonly code = 'TASK_FAILED';
  constructor(message: string, readonly remoteName: string, readonly remoteStack: string | undefined) {
    super(message);
    this.name = remoteName;
  }
}
