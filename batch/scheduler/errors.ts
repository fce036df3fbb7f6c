/**
 * Errors a job fails with: the user's error, with the stage, partition and attempts named.
 */

export class JobFailedError extends Error {
  readonly code = 'JOB_FAILED';
  constructor(
    readonly stageId: number,
    readonly stageName: string,
    readonly partition: number,
    readonly attempts: number,
    cause: unknown,
  ) {
    super(`job failed: stage ${stageId} (${stageName}) partition ${partition} failed ${attempts} time(s); last error: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'JobFailedError';
  }
}

export class ContextStoppedError extends Error {
  readonly code = 'CONTEXT_STOPPED';
  constructor() {
    super('the BatchContext is stopped; create a new one');
    this.name = 'ContextStoppedError';
  }
}
