/**
 * Typed errors of the coordination recipes. Each carries a stable `code`, the offending values and
 * what to do, so callers decide without parsing messages. Failures reported by the server itself
 * stay `ZooKeeperError`s (with ZooKeeper's numeric code).
 */

export type RecipeErrorCode =
  | 'LOCK_TIMEOUT'
  | 'BARRIER_TIMEOUT'
  | 'SESSION_LOST'
  | 'NODE_LOST'
  | 'NODE_NOT_CREATED'
  | 'COUNTER_CONTENTION'
  | 'COUNTER_CORRUPT'
  | 'COUNTER_OVERFLOW'
  | 'INCREMENT_OUTCOME_UNKNOWN'
  | 'ELECTION_ALREADY_STARTED'
  | 'MEMBER_EXISTS'
  | 'INVALID_NAME'
  | 'INVALID_ARGUMENT';

export class RecipeError extends Error {
  constructor(
    readonly code: RecipeErrorCode,
    message: string,
    /** Whether trying the same call again may succeed. */
    readonly retriable: boolean,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class LockTimeoutError extends RecipeError {
  constructor(
    readonly lockPath: string,
    readonly timeoutMs: number,
  ) {
    super('LOCK_TIMEOUT', `lock ${lockPath} was not acquired within ${timeoutMs} ms; retry later or raise the timeout`, true);
  }
}

export class BarrierTimeoutError extends RecipeError {
  constructor(
    readonly barrierPath: string,
    readonly phase: 'enter' | 'leave',
    readonly timeoutMs: number,
  ) {
    super('BARRIER_TIMEOUT', `barrier ${barrierPath} did not let us ${phase} within ${timeoutMs} ms; a participant may be missing or slow`, true);
  }
}

/** The session ended (expired or closed) while waiting: its ephemerals and watches are gone. */
export class SessionLostError extends RecipeError {
  constructor(
    readonly path: string,
    readonly state: string,
  ) {
    super('SESSION_LOST', `session ${state} while waiting on ${path}; its ephemeral nodes are gone, start again with a new client`, false);
  }
}

/** Our own sequential node disappeared: the session expired or someone deleted it by hand. */
export class NodeLostError extends RecipeError {
  constructor(readonly nodePath: string) {
    super('NODE_LOST', `our node ${nodePath} vanished (session expired or deleted by someone else); start again`, false);
  }
}

export class NodeNotCreatedError extends RecipeError {
  constructor(
    readonly path: string,
    readonly attempts: number,
  ) {
    super('NODE_NOT_CREATED', `could not create ${path} after ${attempts} attempts lost to connection failures; check the ensemble`, true);
  }
}

export class CounterContentionError extends RecipeError {
  constructor(
    readonly counterPath: string,
    readonly attempts: number,
  ) {
    super('COUNTER_CONTENTION', `counter ${counterPath} changed under us ${attempts} times in a row; retry later or shard the counter`, true);
  }
}

export class CounterCorruptError extends RecipeError {
  constructor(
    readonly counterPath: string,
    readonly content: string,
  ) {
    super('COUNTER_CORRUPT', `counter ${counterPath} holds ${JSON.stringify(content.slice(0, 64))}, not an integer; fix or delete the node`, false);
  }
}

export class CounterOverflowError extends RecipeError {
  constructor(
    readonly counterPath: string,
    readonly value: number,
    readonly by: number,
  ) {
    super('COUNTER_OVERFLOW', `counter ${counterPath} at ${value} cannot add ${by} without leaving the safe integer range`, false);
  }
}

/** The connection dropped while our compare-and-set was in flight and the node moved on since. */
export class IncrementOutcomeUnknownError extends RecipeError {
  constructor(
    readonly counterPath: string,
    readonly by: number,
  ) {
    super('INCREMENT_OUTCOME_UNKNOWN', `increment of ${counterPath} by ${by} may or may not have been applied (connection lost, node changed since); reconcile before retrying`, false);
  }
}

export class ElectionAlreadyStartedError extends RecipeError {
  constructor(readonly electionPath: string) {
    super('ELECTION_ALREADY_STARTED', `this candidate already runs in election ${electionPath}; resign() before start() again`, false);
  }
}

export class MemberExistsError extends RecipeError {
  constructor(readonly memberPath: string) {
    super('MEMBER_EXISTS', `${memberPath} is already taken by another session; join under another name`, false);
  }
}

export class InvalidNameError extends RecipeError {
  constructor(
    readonly rejectedName: string,
    detail: string,
  ) {
    super('INVALID_NAME', `${JSON.stringify(rejectedName)} cannot be a node name: ${detail}`, false);
  }
}

export class InvalidArgumentError extends RecipeError {
  constructor(
    readonly argument: string,
    readonly value: unknown,
    expected: string,
  ) {
    super('INVALID_ARGUMENT', `${argument} = ${String(value)}; expected ${expected}`, false);
  }
}
