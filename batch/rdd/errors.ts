/**
 * Typed errors of the RDD API: each names the operation and says what to change.
 */

export type RddErrorCode = 'INVALID_ARGUMENT' | 'OUTPUT_EXISTS';

export class RddError extends Error {
  constructor(
    readonly code: RddErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidArgumentError extends RddError {
  constructor(readonly operation: string, detail: string) {
    super('INVALID_ARGUMENT', `${operation}: ${detail}`);
  }
}

export class OutputExistsError extends RddError {
  constructor(readonly path: string) {
    super('OUTPUT_EXISTS', `saveAsTextFile: ${path} already exists; choose a new directory or delete it first`);
  }
}
