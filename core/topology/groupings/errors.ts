/**
 * Typed errors of the groupings. Each names the subscribing component, the source stream and the
 * offending value, so a topology author can tell which `.xxxGrouping(...)` call to fix.
 */

export type GroupingErrorCode =
  | 'NO_TARGET_TASKS'
  | 'TOO_MANY_TARGET_TASKS'
  | 'INVALID_TARGET_TASK'
  | 'UNDECLARED_FIELD'
  | 'INVALID_KEY_FIELDS'
  | 'NOT_A_TARGET_TASK'
  | 'DIRECT_TASK_REQUIRED'
  | 'UNENCODABLE_KEY';

/** Where a grouping sits: `componentId` subscribes to `streamId` of `sourceComponentId`. */
export interface GroupingLocation {
  readonly componentId: string;
  readonly sourceComponentId: string;
  readonly streamId: string;
}

export function describeLocation(location: GroupingLocation): string {
  return `'${location.componentId}' subscribing to stream '${location.streamId}' of '${location.sourceComponentId}'`;
}

export class GroupingError extends Error {
  constructor(
    readonly code: GroupingErrorCode,
    readonly location: GroupingLocation,
    message: string,
  ) {
    super(`${describeLocation(location)}: ${message}`);
    this.name = new.target.name;
  }
}

/** The target task list is empty, too long, or holds something that is not a task id. */
export class InvalidTargetTasksError extends GroupingError {
  constructor(
    code: 'NO_TARGET_TASKS' | 'TOO_MANY_TARGET_TASKS' | 'INVALID_TARGET_TASK',
    location: GroupingLocation,
    readonly targetTasks: readonly number[],
    detail: string,
  ) {
    super(code, location, detail);
  }
}

/** A fields or partial-key grouping selects a field the source stream does not declare. */
export class UndeclaredFieldError extends GroupingError {
  declare readonly code: 'UNDECLARED_FIELD';
  constructor(
    location: GroupingLocation,
    readonly field: string,
    readonly declaredFields: readonly string[],
  ) {
    super(
      'UNDECLARED_FIELD',
      location,
      `groups on field '${field}', which the stream does not declare (declared: ${declaredFields.map((name) => `'${name}'`).join(', ') || 'none'}); declare it in declareOutputFields or group on a declared field`,
    );
  }
}

/** The selected key fields are empty, repeated or too many. */
export class InvalidKeyFieldsError extends GroupingError {
  declare readonly code: 'INVALID_KEY_FIELDS';
  constructor(
    location: GroupingLocation,
    readonly fields: readonly string[],
    detail: string,
  ) {
    super('INVALID_KEY_FIELDS', location, detail);
  }
}

/** A direct emit or a custom grouping chose a task that does not subscribe to the stream. */
export class NotATargetTaskError extends GroupingError {
  declare readonly code: 'NOT_A_TARGET_TASK';
  constructor(
    location: GroupingLocation,
    readonly taskId: number,
    readonly targetTasks: readonly number[],
  ) {
    super(
      'NOT_A_TARGET_TASK',
      location,
      `task ${String(taskId)} is not one of the target tasks [${targetTasks.join(', ')}]; choose one of those`,
    );
  }
}

/** A tuple reached a direct grouping without an emitter-chosen task (use emitDirect). */
export class DirectTaskRequiredError extends GroupingError {
  declare readonly code: 'DIRECT_TASK_REQUIRED';
  constructor(location: GroupingLocation) {
    super('DIRECT_TASK_REQUIRED', location, 'the stream is grouped directly: the emitter must name the task (emitDirect)');
  }
}

/** A key value cannot be encoded canonically (a function, a symbol, a cycle, too deep). */
export class UnencodableKeyError extends GroupingError {
  declare readonly code: 'UNENCODABLE_KEY';
  constructor(location: GroupingLocation, detail: string) {
    super('UNENCODABLE_KEY', location, detail);
  }
}
