/**
 * Typed errors of core/clock. Each carries a stable `code` and the offending values, so a server
 * answers bad input with its protocol's error and keeps serving, without parsing messages.
 */

export type ClockErrorCode =
  | 'CLOCK_DRIFT_EXCEEDED'
  | 'LOGICAL_COUNTER_OVERFLOW'
  | 'INVALID_PHYSICAL_TIME'
  | 'INVALID_TIMESTAMP'
  | 'INVALID_ACTOR'
  | 'INVALID_CAUSAL_DATA'
  | 'ACTOR_COUNTER_OVERFLOW'
  | 'TOO_MANY_SIBLINGS'
  | 'CLOCK_INVARIANT';

export class ClockError extends Error {
  constructor(
    readonly code: ClockErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A peer's hybrid timestamp runs further ahead of our physical clock than the drift limit allows. */
export class ClockDriftExceededError extends ClockError {
  declare readonly code: 'CLOCK_DRIFT_EXCEEDED';
  constructor(
    readonly receivedWallMs: number,
    readonly physicalMs: number,
    readonly maxDriftMs: number,
  ) {
    super(
      'CLOCK_DRIFT_EXCEEDED',
      `received timestamp ${receivedWallMs} ms is ${receivedWallMs - physicalMs} ms ahead of the local clock (limit ${maxDriftMs} ms); check NTP on the sender or on this node`,
    );
  }
}

/** The logical counter would pass its 32-bit limit: the physical clock has not advanced for ~4e9 events. */
export class LogicalCounterOverflowError extends ClockError {
  declare readonly code: 'LOGICAL_COUNTER_OVERFLOW';
  constructor(readonly wallMs: number) {
    super('LOGICAL_COUNTER_OVERFLOW', `logical counter exhausted at wall time ${wallMs} ms; the physical clock is stuck`);
  }
}

/** The injected physical clock returned something that is not a time in milliseconds. */
export class InvalidPhysicalTimeError extends ClockError {
  declare readonly code: 'INVALID_PHYSICAL_TIME';
  constructor(readonly value: number) {
    super('INVALID_PHYSICAL_TIME', `physical clock returned ${value}; it must return non-negative milliseconds since the epoch`);
  }
}

/** A hybrid timestamp (object, bytes or string) that is out of range or malformed. */
export class InvalidTimestampError extends ClockError {
  declare readonly code: 'INVALID_TIMESTAMP';
  constructor(
    readonly value: unknown,
    readonly reason: string,
  ) {
    super('INVALID_TIMESTAMP', `invalid hybrid timestamp: ${reason}`);
  }
}

/** An actor id that is empty or too long. */
export class InvalidActorError extends ClockError {
  declare readonly code: 'INVALID_ACTOR';
  constructor(
    readonly actor: unknown,
    readonly reason: string,
  ) {
    super('INVALID_ACTOR', `invalid actor id ${JSON.stringify(actor)}: ${reason}`);
  }
}

/** A version vector or dotted version vector set (from a client, a peer or storage) that is malformed. */
export class InvalidCausalDataError extends ClockError {
  declare readonly code: 'INVALID_CAUSAL_DATA';
  constructor(
    readonly what: 'version vector' | 'dotted version vector set',
    readonly reason: string,
  ) {
    super('INVALID_CAUSAL_DATA', `invalid ${what}: ${reason}; send back the context exactly as it was read`);
  }
}

/** An actor's event counter would pass MAX_ACTOR_COUNTER. */
export class ActorCounterOverflowError extends ClockError {
  declare readonly code: 'ACTOR_COUNTER_OVERFLOW';
  constructor(readonly actor: string) {
    super('ACTOR_COUNTER_OVERFLOW', `event counter of actor ${JSON.stringify(actor)} is exhausted; give the replica a new actor id`);
  }
}

/** A write would leave more concurrent values than allowed; the client must read and write with the context. */
export class TooManySiblingsError extends ClockError {
  declare readonly code: 'TOO_MANY_SIBLINGS';
  constructor(
    readonly siblings: number,
    readonly maxSiblings: number,
  ) {
    super(
      'TOO_MANY_SIBLINGS',
      `write would leave ${siblings} concurrent values (limit ${maxSiblings}); read the key and write back with its context to resolve them`,
    );
  }
}

/** A broken internal invariant: a bug, never bad input. Not caught to carry on. */
export class ClockInvariantError extends ClockError {
  declare readonly code: 'CLOCK_INVARIANT';
  constructor(
    readonly invariant: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super('CLOCK_INVARIANT', `clock invariant violated: ${invariant} ${JSON.stringify(details)}`);
  }
}
