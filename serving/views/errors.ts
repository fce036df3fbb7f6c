/**
 * Typed errors of the views. Each has a stable `code`, the offending value and what to do. The
 * RESP commands (serving/resp/commands/views.ts) answer them as `-ERR <message>` (or `-WRONGTYPE`
 * for NOT_ORDERED) and keep serving; library callers (stream sink, batch job, `barista query`)
 * can switch on `code`. `retriable` marks the ones where trying again later can succeed.
 */
export type ViewErrorCode =
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_VIEW'
  | 'VIEW_EXISTS'
  | 'UNKNOWN_MONOID'
  | 'INVALID_VALUE'
  | 'VALUE_TOO_LARGE'
  | 'CORRUPT_RECORD'
  | 'INVALID_POSITION'
  | 'UNALIGNED_CUT_OFF'
  | 'STALE_VERSION'
  | 'CUT_OFF_REGRESSION'
  | 'LOAD_CLOSED'
  | 'CONTENTION'
  | 'REALTIME_BACKLOG'
  | 'NOT_ORDERED'
  | 'TOO_MANY_KEYS'
  | 'MONOID_ALREADY_REGISTERED';

export class ViewError extends Error {
  constructor(
    readonly code: ViewErrorCode,
    message: string,
    readonly retriable = false,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A view name, key, partition, bucket or count outside what views accept. */
export class InvalidViewArgumentError extends ViewError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super('INVALID_ARGUMENT', `view ${field} ${JSON.stringify(String(value)).slice(0, 200)}: expected ${expected}`);
  }
}

export class UnknownViewError extends ViewError {
  constructor(readonly view: string) {
    super('UNKNOWN_VIEW', `unknown view '${view}'; create it first with VIEW.CREATE ${view} <monoid>`);
  }
}

/** VIEW.CREATE of an existing view with another definition (the same definition is accepted). */
export class ViewExistsError extends ViewError {
  constructor(
    readonly view: string,
    readonly existing: string,
    readonly requested: string,
  ) {
    super('VIEW_EXISTS', `view '${view}' already exists as ${existing}, not ${requested}; views are immutable, pick another name`);
  }
}

/** A spec that is neither built in nor registered; `hint` replaces the list of built-in specs
 * (for `user:` specs, which must be registered rather than spelled differently). */
export class UnknownMonoidError extends ViewError {
  constructor(
    readonly spec: string,
    readonly known: string,
    hint?: string,
  ) {
    super('UNKNOWN_MONOID', `unknown monoid '${spec.slice(0, 100)}'; ${hint ?? `expected one of ${known}`}`);
  }
}

/** A value or delta that is not of the view's monoid (a float for `sum`, a number for `set`). */
export class InvalidViewValueError extends ViewError {
  constructor(
    readonly monoid: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super('INVALID_VALUE', `${describe(value)} is not a value of monoid ${monoid}: expected ${expected}`);
  }
}

export class ViewValueTooLargeError extends ViewError {
  constructor(
    readonly what: string,
    readonly sizeBytes: number,
    readonly limitBytes: number,
  ) {
    super('VALUE_TOO_LARGE', `${what} encodes to ${sizeBytes} bytes, over the limit of ${limitBytes}; split the key or publish a batch version to drop realtime buckets`);
  }
}

/** A stored record that does not decode: written by something else, or damaged. */
export class CorruptViewRecordError extends ViewError {
  constructor(
    readonly key: string,
    readonly reason: string,
  ) {
    super('CORRUPT_RECORD', `view record ${JSON.stringify(key.slice(0, 200))} does not decode (${reason}); it was not written by serving/views — delete it`);
  }
}

/** A log position (partition, offset) or batch version that is not valid. */
export class InvalidLogPositionError extends ViewError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super('INVALID_POSITION', `${field} = ${describe(value)}: expected ${expected}`);
  }
}

/**
 * A batch cut-off that does not end a realtime bucket. The realtime view keeps one accumulated
 * value per bucket, so it can subtract exactly only whole buckets; `alignedCutOff` is the
 * largest usable cut-off at or below the one given (see alignCutOffs).
 */
export class UnalignedCutOffError extends ViewError {
  constructor(
    readonly partition: string,
    readonly cutOff: number,
    readonly bucketOffsets: number,
    readonly alignedCutOff: number,
  ) {
    super('UNALIGNED_CUT_OFF', `cut-off ${cutOff} of partition ${partition} does not end a realtime bucket of ${bucketOffsets} offsets; use ${alignedCutOff} (alignCutOffs does this)`);
  }
}

/** A batch version not newer than the live one: a slow or restarted job must never go live. */
export class StaleBatchVersionError extends ViewError {
  constructor(
    readonly view: string,
    readonly version: number,
    readonly liveVersion: number,
  ) {
    super('STALE_VERSION', `batch version ${version} of view '${view}' is not newer than the live version ${liveVersion}; it will not be published`);
  }
}

/** A batch version whose cut-off of some partition is below the live version's. */
export class CutOffRegressionError extends ViewError {
  constructor(
    readonly view: string,
    readonly partition: string,
    readonly cutOff: number,
    readonly liveCutOff: number,
  ) {
    super('CUT_OFF_REGRESSION', `view '${view}' partition ${partition}: cut-off ${cutOff} is below the live version's ${liveCutOff}; realtime deltas up to the live cut-off are already dropped, so a batch must cover at least as much`);
  }
}

/** put/publish on a load that was published or failed. */
export class BatchLoadClosedError extends ViewError {
  constructor(
    readonly view: string,
    readonly version: number,
    readonly state: string,
    options?: ErrorOptions,
  ) {
    super('LOAD_CLOSED', `batch load of view '${view}' version ${version} is ${state}; begin a new version`, false, options);
  }
}

/** A compare-and-set loop lost to other writers on every attempt, or a reader kept finding the
 * version it read retired by publishes. */
export class ViewContentionError extends ViewError {
  constructor(
    readonly what: string,
    readonly attempts: number,
  ) {
    super('CONTENTION', `${what}: changed under each of ${attempts} attempts as other writers or publishes kept winning; retry`, true);
  }
}

/** A realtime record holds as many buckets as allowed for one partition. */
export class RealtimeBacklogError extends ViewError {
  constructor(
    readonly view: string,
    readonly partition: string,
    readonly buckets: number,
  ) {
    super('REALTIME_BACKLOG', `view '${view}' partition ${partition} holds ${buckets} realtime buckets for one key; publish a batch version (it drops them) or create the view with a larger bucket`, true);
  }
}

/** VIEW.TOP on a view whose monoid has no order (set, topn). */
export class ViewNotOrderedError extends ViewError {
  constructor(
    readonly view: string,
    readonly monoid: string,
  ) {
    super('NOT_ORDERED', `view '${view}' has monoid ${monoid}, whose values have no order; ranking needs sum, max, min, hll or a user monoid with a rank`);
  }
}

/** A ranking over more distinct keys than MAX_TOP_CANDIDATE_KEYS. */
export class TooManyViewKeysError extends ViewError {
  constructor(
    readonly view: string,
    readonly limit: number,
  ) {
    super('TOO_MANY_KEYS', `view '${view}' has more than ${limit} keys to rank by scanning; rank in the batch job instead`);
  }
}

/** registerMonoid of a spec already registered with another monoid object: two definitions of
 * one name would make views read differently depending on which module loaded first. */
export class MonoidAlreadyRegisteredError extends ViewError {
  constructor(readonly spec: string) {
    super('MONOID_ALREADY_REGISTERED', `monoid '${spec}' is already registered with another object; register each user monoid once (export it from one module) or pick another name`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 100));
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 100);
  } catch {
    return String(value).slice(0, 100);
  }
}

/**
 * A realtime record holds MAX_UNSETTLED_OFFSETS_PER_PARTITION offsets of one partition above its
 * settled floor: the source's settled offset has not moved while that many later deltas of the key
 * arrived — a tuple tree stuck short of its timeout, or a source that sends a stale settled offset.
 * A RealtimeBacklogError (code REALTIME_BACKLOG, retriable): it passes once the stuck offset is
 * replayed and settles.
 */
export class UnsettledOffsetsBacklogError extends RealtimeBacklogError {
  constructor(
    view: string,
    partition: string,
    buckets: number,
    readonly unsettledOffsets: number,
    readonly floor: number,
  ) {
    super(view, partition, buckets);
    this.message = `view '${view}' partition ${partition} holds ${unsettledOffsets} offsets of one key above its settled offset ${floor + 1}; a record there is not fully processed yet (a stuck or lost tuple tree): retry once it replays, or check the source's settled offsets`;
  }
}
