/**
 * Typed errors of the topology API and runtime. Each names the component (and task) involved and
 * says what to change, so user-code mistakes surface with their place, never as silent loss.
 */

export type TopologyRuntimeErrorCode =
  | 'INVALID_CONFIG'
  | 'INVALID_COMPONENT'
  | 'FIELD_MISMATCH'
  | 'UNKNOWN_FIELD'
  | 'UNDECLARED_STREAM'
  | 'INVALID_DIRECT_EMIT'
  | 'INVALID_ANCHOR'
  | 'USER_CODE_FAILED'
  | 'TOPOLOGY_EXISTS'
  | 'TOPOLOGY_NOT_FOUND'
  | 'TOPOLOGY_START_FAILED'
  | 'CLUSTER_SHUT_DOWN';

export class TopologyRuntimeError extends Error {
  constructor(
    readonly code: TopologyRuntimeErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class InvalidConfigError extends TopologyRuntimeError {
  constructor(readonly key: string, readonly value: unknown, expected: string) {
    super('INVALID_CONFIG', `config '${key}' is ${describe(value)}; expected ${expected}`);
  }
}

/** A registered object lacks a method its role needs (a spout without nextTuple, ...). */
export class InvalidComponentError extends TopologyRuntimeError {
  constructor(readonly componentId: string, detail: string) {
    super('INVALID_COMPONENT', `component '${componentId}': ${detail}`);
  }
}

/** An emitted tuple has a different number of values than its stream declares fields. */
export class FieldMismatchError extends TopologyRuntimeError {
  constructor(readonly componentId: string, readonly streamId: string, readonly fields: readonly string[], readonly valueCount: number) {
    super('FIELD_MISMATCH', `component '${componentId}' emitted ${valueCount} values on stream '${streamId}', which declares ${fields.length} fields [${fields.join(', ')}]`);
  }
}

export class UnknownFieldError extends TopologyRuntimeError {
  constructor(readonly componentId: string, readonly streamId: string, readonly field: string, readonly fields: readonly string[]) {
    super('UNKNOWN_FIELD', `tuple from '${componentId}' on stream '${streamId}' has no field '${field}'; its fields are [${fields.join(', ')}]`);
  }
}

export class UndeclaredStreamError extends TopologyRuntimeError {
  constructor(readonly componentId: string, readonly streamId: string) {
    super('UNDECLARED_STREAM', `component '${componentId}' emitted on stream '${streamId}', which it does not declare in declareOutputFields`);
  }
}

export class InvalidDirectEmitError extends TopologyRuntimeError {
  constructor(readonly componentId: string, readonly streamId: string, detail: string) {
    super('INVALID_DIRECT_EMIT', `component '${componentId}', stream '${streamId}': ${detail}`);
  }
}

export class InvalidAnchorError extends TopologyRuntimeError {
  constructor(readonly componentId: string, detail: string) {
    super('INVALID_ANCHOR', `component '${componentId}': ${detail}`);
  }
}

/** User code (open, nextTuple, execute, ...) threw; `cause` is what it threw. */
export class UserCodeError extends TopologyRuntimeError {
  constructor(readonly componentId: string, readonly taskId: number, readonly method: string, cause: unknown) {
    const what = method === 'reportError' ? 'reported an error' : `${method} threw`;
    super('USER_CODE_FAILED', `component '${componentId}' task ${taskId}: ${what}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export class TopologyExistsError extends TopologyRuntimeError {
  constructor(readonly topologyName: string) {
    super('TOPOLOGY_EXISTS', `a topology named '${topologyName}' is already running; kill it or choose another name`);
  }
}

export class TopologyNotFoundError extends TopologyRuntimeError {
  constructor(readonly topologyName: string) {
    super('TOPOLOGY_NOT_FOUND', `no topology named '${topologyName}' is running`);
  }
}

export class TopologyStartError extends TopologyRuntimeError {
  constructor(readonly topologyName: string, cause: unknown) {
    super('TOPOLOGY_START_FAILED', `topology '${topologyName}' failed to start: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export class ClusterShutDownError extends TopologyRuntimeError {
  constructor() {
    super('CLUSTER_SHUT_DOWN', 'the local cluster is shut down; create a new one');
  }
}

/** Thrown by a BasicBolt's execute to fail its input tuple without reporting an error. */
export class FailedException extends Error {
  constructor(message = 'tuple failed') {
    super(message);
    this.name = 'FailedException';
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
