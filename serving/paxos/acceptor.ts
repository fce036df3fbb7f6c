/**
 * The acceptor of per-key Paxos, as in Cassandra's lightweight transactions: pure functions from
 * (state, message) to (new state, reply). The caller persists the new state when `changed` BEFORE
 * sending the reply (a promise forgotten in a crash could let two values be chosen).
 *
 * State per key: the highest ballot promised, the accepted proposal not yet known committed (the
 * "in-progress" round), and the most recent commit. A prepare returns both, so a proposer finishes
 * an in-progress round before starting its own and reads the key's current value from the commits.
 *
 * Guarantees (per key): never promises or accepts below a ballot already promised; once a commit is
 * known, ballots at or below it are refused (a commit raises the promise) and the in-progress
 * proposal it supersedes is dropped; commits are applied at most once each, newest ballot wins.
 */
import { compareBallots, maxBallot, type Ballot, type Proposal } from './ballot.js';

export interface AcceptorState {
  readonly promised: Ballot | null;
  /** Accepted and not (known to be) committed: its ballot is above `committed`'s. */
  readonly accepted: Proposal | null;
  readonly committed: Proposal | null;
}

export const EMPTY_ACCEPTOR_STATE: AcceptorState = Object.freeze({ promised: null, accepted: null, committed: null });

export type PrepareReply =
  | { readonly kind: 'promise'; readonly ballot: Ballot; readonly accepted: Proposal | null; readonly committed: Proposal | null }
  | { readonly kind: 'reject'; readonly ballot: Ballot; readonly promised: Ballot };

export type ProposeReply = { readonly kind: 'accepted'; readonly ballot: Ballot } | { readonly kind: 'reject'; readonly ballot: Ballot; readonly promised: Ballot };

export interface AcceptorStep<Reply> {
  readonly state: AcceptorState;
  /** Persist `state` before replying. */
  readonly changed: boolean;
  readonly reply: Reply;
}

export interface CommitStep {
  readonly state: AcceptorState;
  readonly changed: boolean;
  /** True when this commit is newer than any before: write proposal.value to the key's storage. */
  readonly apply: boolean;
}

/** True when `ballot` may be promised or accepted: at or above the current promise. */
function admits(state: AcceptorState, ballot: Ballot): boolean {
  return state.promised === null || compareBallots(ballot, state.promised) >= 0;
}

/** Phase 1: promise to ignore ballots below `ballot`, or refuse naming the promise that beats it.
 * An equal ballot (a duplicated prepare) is promised again. */
export function handlePrepare(state: AcceptorState, ballot: Ballot): AcceptorStep<PrepareReply> {
  if (!admits(state, ballot)) return { state, changed: false, reply: { kind: 'reject', ballot, promised: state.promised as Ballot } };
  const changed = state.promised === null || compareBallots(ballot, state.promised) !== 0;
  const next = changed ? { ...state, promised: ballot } : state;
  return { state: next, changed, reply: { kind: 'promise', ballot, accepted: next.accepted, committed: next.committed } };
}

/** Phase 2: accept `proposal` unless a higher ballot was promised. */
export function handlePropose(state: AcceptorState, proposal: Proposal): AcceptorStep<ProposeReply> {
  const { ballot } = proposal;
  if (!admits(state, ballot)) return { state, changed: false, reply: { kind: 'reject', ballot, promised: state.promised as Ballot } };
  // A duplicate of the proposal accepted or already committed at this ballot: accepted, nothing to store.
  const already = [state.accepted, state.committed].some((held) => held !== null && compareBallots(held.ballot, ballot) === 0);
  const next = already ? state : { ...state, promised: ballot, accepted: proposal };
  return { state: next, changed: !already, reply: { kind: 'accepted', ballot } };
}

/** A proposal was chosen: remember it as the most recent commit if it is newer than the one held. */
export function handleCommit(state: AcceptorState, proposal: Proposal): CommitStep {
  if (state.committed !== null && compareBallots(proposal.ballot, state.committed.ballot) <= 0) return { state, changed: false, apply: false };
  const accepted = state.accepted !== null && compareBallots(state.accepted.ballot, proposal.ballot) > 0 ? state.accepted : null;
  return { state: { promised: maxBallot(state.promised, proposal.ballot), accepted, committed: proposal }, changed: true, apply: true };
}
