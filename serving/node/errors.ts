/**
 * Errors a serving node reports. Those a client sees are KeyspaceErrors, so the RESP layer answers
 * them with the matching Redis error (-NOREPLICAS, -TIMEOUT) and keeps the connection.
 */
import { KeyspaceError } from '../keyspace/errors.js';

export class NodeUnavailableError extends Error {
  readonly code = 'NODE_UNAVAILABLE';
  constructor(
    readonly node: string,
    readonly reason: string,
  ) {
    super(`serving node ${node} is unavailable: ${reason}`);
    this.name = 'NodeUnavailableError';
  }
}

/** Too few replicas answered for the asked consistency. */
export class QuorumUnavailableError extends KeyspaceError {
  constructor(
    readonly operation: 'read' | 'write',
    readonly required: number,
    readonly succeeded: number,
    readonly errors: readonly { node: string; code: string }[],
  ) {
    super('UNAVAILABLE', `${operation} needs ${required} replica(s) but ${succeeded} answered (${errors.map((e) => `${e.node}: ${e.code}`).join(', ') || 'no replicas reachable'}); retry, or lower R/W with BARISTA.CONSISTENCY`);
  }
}

/** A compare-and-set whose value may or may not have been chosen (Cassandra's "CAS write unknown"). */
export class CasOutcomeUnknownError extends KeyspaceError {
  constructor(readonly reason: string) {
    super('TIMEOUT', `the compare-and-set may or may not have been applied (${reason}); read the key to find out`);
  }
}

/** A compare-and-set that gave up under contention or unavailability; nothing was written. */
export class CasNotAppliedError extends KeyspaceError {
  constructor(readonly reason: string) {
    super('UNAVAILABLE', `the compare-and-set was not applied (${reason}); retry`);
  }
}
