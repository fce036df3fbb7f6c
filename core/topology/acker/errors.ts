/**
 * Typed errors of the acker. Each carries a stable `code`, the offending value and what to do, so
 * an executor can log and drop one bad message and keep acking every other tree.
 */

export type AckerErrorCode =
  | 'INVALID_TUPLE_ID'
  | 'INVALID_XOR_VALUE'
  | 'INVALID_TASK_ID'
  | 'INVALID_TIME'
  | 'TIME_WENT_BACKWARDS'
  | 'DUPLICATE_INIT'
  | 'INVALID_ACKER_OPTION'
  | 'BROKEN_RANDOM_SOURCE'
  | 'ACKER_INVARIANT';

export class AckerError extends Error {
  constructor(
    readonly code: AckerErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A root or edge id that is not an integer in 1..2^52-1. */
export class InvalidTupleIdError extends AckerError {
  declare readonly code: 'INVALID_TUPLE_ID';
  constructor(readonly value: unknown) {
    super('INVALID_TUPLE_ID', `tuple id ${String(value)} is not an integer in 1..2^52-1; draw ids with createTupleIdGenerator`);
  }
}

/** An XOR value (initial XOR or ack delta) that is not an integer in 0..2^52-1. */
export class InvalidXorValueError extends AckerError {
  declare readonly code: 'INVALID_XOR_VALUE';
  constructor(readonly value: unknown) {
    super('INVALID_XOR_VALUE', `xor value ${String(value)} is not an integer in 0..2^52-1; XOR tuple ids with xorIds`);
  }
}

/** A spout task id that is not a non-negative safe integer. */
export class InvalidTaskIdError extends AckerError {
  declare readonly code: 'INVALID_TASK_ID';
  constructor(readonly value: unknown) {
    super('INVALID_TASK_ID', `spout task id ${String(value)} is not a non-negative integer`);
  }
}

/** A time that is not a finite, non-negative number of milliseconds. */
export class InvalidTimeError extends AckerError {
  declare readonly code: 'INVALID_TIME';
  constructor(
    readonly parameter: string,
    readonly value: unknown,
  ) {
    super('INVALID_TIME', `${parameter} ${String(value)} is not a finite, non-negative number of milliseconds`);
  }
}

/** `nowMs` is earlier than a time the acker has already seen: pass a monotonic clock
 * (performance.now), not the wall clock, which may step back under NTP. */
export class TimeWentBackwardsError extends AckerError {
  declare readonly code: 'TIME_WENT_BACKWARDS';
  constructor(
    readonly nowMs: number,
    readonly latestMs: number,
  ) {
    super('TIME_WENT_BACKWARDS', `nowMs ${nowMs} is before the latest time seen, ${latestMs}; use a monotonic clock`);
  }
}

/** A second `init` for a root that is already initialised: root ids must be unique per tree. */
export class DuplicateInitError extends AckerError {
  declare readonly code: 'DUPLICATE_INIT';
  constructor(readonly rootId: number) {
    super('DUPLICATE_INIT', `tree ${rootId} is already initialised; draw a fresh root id per spout tuple`);
  }
}

/** An option of `new Acker(...)` outside its documented range. */
export class InvalidAckerOptionError extends AckerError {
  declare readonly code: 'INVALID_ACKER_OPTION';
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super('INVALID_ACKER_OPTION', `acker option ${option} = ${String(value)} is invalid; allowed: ${allowed}`);
  }
}

/** The injected random source returned zeros too many times in a row, or the wrong amount. */
export class BrokenRandomSourceError extends AckerError {
  declare readonly code: 'BROKEN_RANDOM_SOURCE';
  constructor(readonly detail: string) {
    super('BROKEN_RANDOM_SOURCE', `random source is broken: ${detail}; use the default (node:crypto)`);
  }
}

/** The acker's own bookkeeping disagrees with itself: a bug here, not bad input. */
export class AckerInvariantError extends AckerError {
  declare readonly code: 'ACKER_INVARIANT';
  constructor(readonly detail: string) {
    super('ACKER_INVARIANT', `acker invariant broken: ${detail}; please report this with the message sequence`);
  }
}
