/** Errors of the Lambda layer: a view definition a user got wrong. */
export class LambdaError extends Error {
  constructor(
    readonly code: 'INVALID_LAMBDA_VIEW',
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A `lambda.view(...)` definition that cannot run: the message says which part and why. */
export class InvalidLambdaViewError extends LambdaError {
  constructor(
    readonly view: string,
    reason: string,
  ) {
    super('INVALID_LAMBDA_VIEW', `lambda view '${view}': ${reason}`);
  }
}
