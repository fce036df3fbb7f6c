/**
 * Typed errors of the ready-made bolts. Each carries a code, the offending value and what to
 * change; a bolt's bad input fails that tuple (and is reported), never the whole task.
 */

export type BoltErrorCode = 'INVALID_BOLT_OPTION' | 'INVALID_TUPLE_VALUE' | 'BOLT_NOT_PREPARED' | 'COLLECTION_FULL' | 'COLLECT_TIMEOUT' | 'TOO_MANY_EMITS' | 'TOO_MANY_SOURCES';

export class BoltError extends Error {
  constructor(
    readonly code: BoltErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A constructor option is out of range or of the wrong kind. */
export class InvalidBoltOptionError extends BoltError {
  constructor(readonly bolt: string, readonly option: string, readonly value: unknown, expected: string) {
    super('INVALID_BOLT_OPTION', `${bolt}: option '${option}' is ${describeValue(value)}; expected ${expected}`);
  }
}

/** A tuple's field holds a value the bolt cannot use (the tuple is failed and reported). */
export class InvalidTupleValueError extends BoltError {
  constructor(readonly bolt: string, readonly field: string, readonly value: unknown, expected: string) {
    super('INVALID_TUPLE_VALUE', `${bolt}: field '${field}' is ${describeValue(value)}; expected ${expected}`);
  }
}

/** execute was called before prepare (a test driving a bolt by hand forgot prepare). */
export class BoltNotPreparedError extends BoltError {
  constructor(readonly bolt: string) {
    super('BOLT_NOT_PREPARED', `${bolt}: execute called before prepare; call prepare(config, context, collector) first`);
  }
}

export class CollectionFullError extends BoltError {
  constructor(readonly capacity: number) {
    super('COLLECTION_FULL', `CollectedTuples holds its capacity of ${capacity} tuples; clear it or pass a larger capacity`);
  }
}

export class CollectTimeoutError extends BoltError {
  constructor(readonly what: string, readonly collected: number, readonly timeoutMs: number) {
    super('COLLECT_TIMEOUT', `timed out after ${timeoutMs} ms waiting for ${what}; ${collected} tuples collected`);
  }
}

export class TooManyEmitsError extends BoltError {
  constructor(readonly bolt: string, readonly limit: number) {
    super('TOO_MANY_EMITS', `${bolt}: one input expanded to more than ${limit} tuples; split the work or raise MAX_FLAT_MAP_EMITS`);
  }
}

/** More upstream tasks sent rankings than the bolt keeps snapshots for. */
export class TooManySourcesError extends BoltError {
  constructor(readonly bolt: string, readonly sourceTask: number, readonly limit: number) {
    super('TOO_MANY_SOURCES', `${bolt}: rankings from task ${sourceTask} would be the snapshot of more than ${limit} upstream tasks; lower the upstream parallelism`);
  }
}

export function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Checks an integer option; returns it. */
export function checkInteger(bolt: string, option: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new InvalidBoltOptionError(bolt, option, value, `an integer in ${min}..${max}`);
  return value;
}

/** Checks a field-name option; returns it. */
export function checkFieldName(bolt: string, option: string, value: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new InvalidBoltOptionError(bolt, option, value, 'a non-empty field name');
  return value;
}
