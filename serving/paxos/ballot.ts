/**
 * Ballots and proposals of per-key Paxos.
 *
 * A ballot is (hybrid timestamp, node id), totally ordered by timestamp then node id: two nodes
 * never issue the same ballot, and a node's HLC never issues the same timestamp twice, so every
 * round has its own ballot; taking the timestamp from `hlc.update(highest seen)` puts a new round
 * above every round the node has heard of.
 *
 * A proposal is a would-be next value of the key. Besides the value it carries its place in the
 * key's sequence of chosen values (`height`: the chosen value it was computed from, plus one) and
 * the operation ids of the latest chosen values up to itself (`history`), so a proposer that lost
 * track of its own proposal can later tell whether it was chosen (see proposer.ts).
 */
import { assertHlcTimestamp, compareHlc, ClockError, formatHlc, type HlcTimestamp } from '../../core/clock/index.js';
import { InvalidBallotError, InvalidProposalError } from './errors.js';
import { MAX_OPERATION_ID_LENGTH, MAX_PAXOS_VALUE_BYTES, PAXOS_HISTORY_LENGTH } from './limits.js';

export interface Ballot {
  readonly timestamp: HlcTimestamp;
  readonly nodeId: string;
}

export interface Proposal {
  readonly ballot: Ballot;
  /** The compare-and-set operation that computed it; a repair by another proposer keeps it. */
  readonly operationId: string;
  /** Position in the key's sequence of chosen values (the first chosen value has height 1). */
  readonly height: number;
  /** The key's new value; null makes the key absent. */
  readonly value: Buffer | null;
  /** Operation ids of the chosen values at heights height − length + 1 … height (last: operationId). */
  readonly history: readonly string[];
}

/** Total order: timestamp, then node id. */
export function compareBallots(a: Ballot, b: Ballot): -1 | 0 | 1 {
  const byTime = compareHlc(a.timestamp, b.timestamp);
  if (byTime !== 0) return byTime;
  return a.nodeId === b.nodeId ? 0 : a.nodeId < b.nodeId ? -1 : 1;
}

export function sameBallot(a: Ballot | null, b: Ballot | null): boolean {
  return a !== null && b !== null && compareBallots(a, b) === 0;
}

/** The greater ballot; null is below every ballot. */
export function maxBallot(a: Ballot | null, b: Ballot | null): Ballot | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareBallots(a, b) >= 0 ? a : b;
}

/** Of proposals (nulls skipped), the one with the greatest ballot. */
export function latestProposal(proposals: readonly (Proposal | null)[]): Proposal | null {
  let latest: Proposal | null = null;
  for (const proposal of proposals) if (proposal !== null && (latest === null || compareBallots(proposal.ballot, latest.ballot) > 0)) latest = proposal;
  return latest;
}

export function formatBallot(ballot: Ballot | null): string {
  return ballot === null ? 'none' : `${formatHlc(ballot.timestamp)}@${ballot.nodeId}`;
}

function assertOperationId(id: unknown, field: string): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_OPERATION_ID_LENGTH) {
    throw new InvalidProposalError(field, `expected a string of 1 to ${MAX_OPERATION_ID_LENGTH} characters`);
  }
  return id;
}

export function assertBallot(ballot: Ballot): Ballot {
  if (typeof ballot !== 'object' || ballot === null) throw new InvalidBallotError(ballot, 'not an object');
  try {
    assertHlcTimestamp(ballot.timestamp);
  } catch (error) {
    if (error instanceof ClockError) throw new InvalidBallotError(ballot, error.message);
    throw error;
  }
  if (typeof ballot.nodeId !== 'string' || ballot.nodeId.length === 0 || ballot.nodeId.length > 255) {
    throw new InvalidBallotError(ballot, 'node id must be a string of 1 to 255 characters');
  }
  return ballot;
}

/** Checks every field of a proposal (from a peer or from storage) and returns it. */
export function assertProposal(proposal: Proposal): Proposal {
  assertBallot(proposal.ballot);
  assertOperationId(proposal.operationId, 'operationId');
  if (!Number.isSafeInteger(proposal.height) || proposal.height < 1) throw new InvalidProposalError('height', `${proposal.height} is not a positive integer`);
  if (proposal.value !== null && (!Buffer.isBuffer(proposal.value) || proposal.value.length > MAX_PAXOS_VALUE_BYTES)) {
    throw new InvalidProposalError('value', `expected null or a Buffer of at most ${MAX_PAXOS_VALUE_BYTES} bytes`);
  }
  const { history } = proposal;
  const maxLength = Math.min(proposal.height, PAXOS_HISTORY_LENGTH);
  if (!Array.isArray(history) || history.length < 1 || history.length > maxLength) throw new InvalidProposalError('history', `expected 1 to ${maxLength} operation ids`);
  history.forEach((id) => assertOperationId(id, 'history'));
  if (history[history.length - 1] !== proposal.operationId) throw new InvalidProposalError('history', 'must end with the proposal’s own operation id');
  return proposal;
}

/**
 * The id of the operation whose value was chosen at `height`, as recorded by `latest` (the latest
 * chosen value known; null: none yet). Undefined when `height` is above `latest` or too far below it
 * to be remembered.
 */
export function operationAtHeight(latest: Proposal | null, height: number): string | undefined {
  if (latest === null || height > latest.height) return undefined;
  return latest.history[latest.history.length - 1 - (latest.height - height)];
}

/** The proposal that follows `latest` (null: nothing chosen yet) with `value` from `operationId`. */
export function nextProposal(latest: Proposal | null, ballot: Ballot, operationId: string, value: Buffer | null): Proposal {
  const history = [...(latest?.history ?? []), operationId].slice(-PAXOS_HISTORY_LENGTH);
  return assertProposal({ ballot, operationId, height: (latest?.height ?? 0) + 1, value, history });
}
