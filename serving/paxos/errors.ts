/**
 * Typed errors of Paxos. Each carries a stable `code` and the offending values; an acceptor that
 * receives a bad message answers with the error and keeps serving other keys.
 */
export type PaxosErrorCode =
  | 'INVALID_BALLOT'
  | 'STALE_BALLOT'
  | 'INVALID_PROPOSAL'
  | 'INVALID_PROPOSER_OPTIONS'
  | 'PROPOSER_MISUSE'
  | 'MALFORMED_PAXOS_DATA'
  | 'UNSUPPORTED_PAXOS_FORMAT';

export class PaxosError extends Error {
  constructor(
    readonly code: PaxosErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidBallotError extends PaxosError {
  declare readonly code: 'INVALID_BALLOT';
  constructor(
    readonly ballot: unknown,
    readonly reason: string,
  ) {
    super('INVALID_BALLOT', `invalid ballot: ${reason}`);
  }
}

/** A new round's ballot is not above every ballot the proposer has seen: it would be rejected. */
export class StaleBallotError extends PaxosError {
  declare readonly code: 'STALE_BALLOT';
  constructor(
    readonly ballot: string,
    readonly highestSeen: string,
  ) {
    super('STALE_BALLOT', `ballot ${ballot} is not above ${highestSeen}; take the timestamp from hlc.update(highestBallotSeen.timestamp)`);
  }
}

export class InvalidProposalError extends PaxosError {
  declare readonly code: 'INVALID_PROPOSAL';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super('INVALID_PROPOSAL', `invalid proposal ${field}: ${reason}`);
  }
}

export class InvalidProposerOptionsError extends PaxosError {
  declare readonly code: 'INVALID_PROPOSER_OPTIONS';
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super('INVALID_PROPOSER_OPTIONS', `proposer option ${option} = ${String(value)}: expected ${expected}`);
  }
}

/** A proposer input in the wrong phase, e.g. startRound while a round is running: a caller bug. */
export class ProposerMisuseError extends PaxosError {
  declare readonly code: 'PROPOSER_MISUSE';
  constructor(
    readonly action: string,
    readonly phase: string,
  ) {
    super('PROPOSER_MISUSE', `cannot ${action} in phase '${phase}'`);
  }
}

/** Persisted acceptor state or an encoded proposal that is corrupt. */
export class MalformedPaxosDataError extends PaxosError {
  declare readonly code: 'MALFORMED_PAXOS_DATA';
  constructor(
    readonly reason: string,
    readonly offset: number,
  ) {
    super('MALFORMED_PAXOS_DATA', `malformed Paxos data at byte ${offset}: ${reason}`);
  }
}

export class UnsupportedPaxosFormatError extends PaxosError {
  declare readonly code: 'UNSUPPORTED_PAXOS_FORMAT';
  constructor(
    readonly version: number,
    readonly supported: number,
  ) {
    super('UNSUPPORTED_PAXOS_FORMAT', `Paxos data format ${version} is not supported (this node reads ${supported}); upgrade this node`);
  }
}
