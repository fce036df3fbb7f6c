/**
 * Typed errors a keyspace throws. The RESP layer maps each code onto a Redis error reply for that
 * one command and keeps serving the connection:
 *
 * - INVALID_CURSOR, INVALID_ENTRY, INVALID_CONSISTENCY → `-ERR <message>` (bad input)
 * - KEYSPACE_FULL → `-OOM ...` (Redis's maxmemory refusal)
 * - UNAVAILABLE → `-NOREPLICAS <message>` (fewer replicas answered than R or W need)
 * - TIMEOUT → `-TIMEOUT <message>` (the quorum did not answer in time; the write may have landed)
 *
 * A store implementation throws these (or subclasses) so that clients see the same errors
 * whichever keyspace serves them.
 */
export type KeyspaceErrorCode = 'INVALID_CURSOR' | 'INVALID_ENTRY' | 'INVALID_CONSISTENCY' | 'KEYSPACE_FULL' | 'UNAVAILABLE' | 'TIMEOUT';

export class KeyspaceError extends Error {
  constructor(
    readonly code: KeyspaceErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export class InvalidCursorError extends KeyspaceError {
  constructor(readonly cursor: string) {
    super('INVALID_CURSOR', `invalid cursor ${JSON.stringify(cursor)}: pass '0' or a cursor this keyspace returned`);
  }
}

export class InvalidEntryError extends KeyspaceError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super('INVALID_ENTRY', `entry ${field} = ${String(value)}: expected ${expected}`);
  }
}

export class InvalidConsistencyError extends KeyspaceError {
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super('INVALID_CONSISTENCY', `consistency ${field} = ${String(value)}: expected ${expected}`);
  }
}

/** The keyspace holds as much as it is allowed to; writes that add data are refused. */
export class KeyspaceFullError extends KeyspaceError {
  constructor(
    readonly usedBytes: number,
    readonly maxBytes: number,
  ) {
    super('KEYSPACE_FULL', `keyspace holds ${usedBytes} bytes of its ${maxBytes}; delete keys or raise the limit`);
  }
}

/** Fewer replicas answered than the request's R or W needs. */
export class KeyspaceUnavailableError extends KeyspaceError {
  constructor(
    readonly operation: 'read' | 'write',
    readonly required: number,
    readonly answered: number,
  ) {
    super('UNAVAILABLE', `${operation} needs ${required} replicas but ${answered} answered; retry, or lower ${operation === 'read' ? 'R' : 'W'} with BARISTA.CONSISTENCY`);
  }
}

/** The quorum did not answer within the deadline; a write may still have landed. */
export class KeyspaceTimeoutError extends KeyspaceError {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super('TIMEOUT', `${operation} got no quorum within ${timeoutMs} ms; a write may still have landed, read before retrying`);
  }
}
