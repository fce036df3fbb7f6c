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

/** Replica error codes a client can act on, spelled out in QuorumUnavailableError's message. */
const REPLICA_ERROR_MEANINGS: Readonly<Record<string, string>> = {
  DISK_FULL: 'out of disk space; writes resume once space is freed',
};

function describeReplicaError({ node, code }: { node: string; code: string }): string {
  const meaning = REPLICA_ERROR_MEANINGS[code];
  return meaning === undefined ? `${node}: ${code}` : `${node}: ${code} (${meaning})`;
}

/** Too few replicas answered for the asked consistency. */
export class QuorumUnavailableError extends KeyspaceError {
  constructor(
    readonly operation: 'read' | 'write',
    readonly required: number,
    readonly succeeded: number,
    readonly errors: readonly { node: string; code: string }[],
  ) {
    super('UNAVAILABLE', `${operation} needs ${required} replica(s) but ${succeeded} answered (${errors.map(describeReplicaError).join(', ') || 'no replicas reachable'}); retry, or lower R/W with BARISTA.CONSISTENCY`);
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
