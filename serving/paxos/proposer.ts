/**
 * The proposer of ONE compare-and-set on one key (Cassandra's lightweight transactions), as a pure
 * state machine: inputs are replies and timeouts, outputs are messages to send and, at the end, an
 * outcome. Ballots come from the caller (`startRound(timestamp)`), who also decides the backoff
 * between rounds: the machine only says it needs a new round, and why.
 *
 * A round: prepare to all replicas; on a majority of promises either
 * - repair: some promise holds an accepted proposal newer than every commit seen (a round that may
 *   have chosen a value but not finished): re-propose it under our ballot, commit it, new round; or
 * - read the key's current value from the newest commit among the promises, evaluate the condition
 *   on it, and propose the new value; on a majority of acceptances the value is chosen: commit to
 *   all replicas (fire-and-forget; later rounds finish what is lost) and report 'applied'.
 * Rejections from a majority or a timeout: new round. `maxRounds` bounds the rounds.
 *
 * Exactly-once under lost replies: if our proposal's fate is unknown (its acceptances were lost),
 * the next round learns it from the commit history (ballot.ts): our operation id at our height means
 * it was chosen ('applied'); another id means it never will be, so the condition is re-evaluated on
 * the new value. Only if more than PAXOS_HISTORY_LENGTH values were chosen meanwhile, or the rounds
 * run out, is the outcome 'unknown' (Cassandra's "CAS write unknown").
 * The condition must be a pure function of the current value.
 */
import { assertBallot, compareBallots, formatBallot, latestProposal, maxBallot, nextProposal, operationAtHeight, sameBallot, type Ballot, type Proposal } from './ballot.js';
import type { PrepareReply, ProposeReply } from './acceptor.js';
import type { HlcTimestamp } from '../../core/clock/index.js';
import { InvalidProposerOptionsError, ProposerMisuseError, StaleBallotError } from './errors.js';
import { DEFAULT_MAX_CAS_ROUNDS, MAX_CAS_ROUNDS, MAX_OPERATION_ID_LENGTH, MAX_PAXOS_REPLICAS } from './limits.js';

/** What the condition decides for the current value (null: absent): write a new value or not. */
export type CasDecision = { readonly write: true; readonly value: Buffer | null } | { readonly write: false };
export type CasCondition = (current: Buffer | null) => CasDecision;

export interface CasProposerOptions {
  /** This node: part of every ballot. */
  readonly nodeId: string;
  /** The key's replicas (its preference list): the acceptors. */
  readonly replicas: readonly string[];
  /** Unique per compare-and-set operation, e.g. `${nodeId}/${counter}`. */
  readonly operationId: string;
  readonly condition: CasCondition;
  /** Default DEFAULT_MAX_CAS_ROUNDS. */
  readonly maxRounds?: number;
}

export type PaxosMessage =
  | { readonly type: 'prepare'; readonly to: string; readonly ballot: Ballot }
  | { readonly type: 'propose'; readonly to: string; readonly proposal: Proposal }
  | { readonly type: 'commit'; readonly to: string; readonly proposal: Proposal };

export type CasOutcome =
  /** Our value was chosen at `height`. */
  | { readonly status: 'applied'; readonly value: Buffer | null; readonly height: number }
  /** The condition was false on the current value (a linearizable read of it). */
  | { readonly status: 'condition-failed'; readonly current: Buffer | null; readonly height: number }
  /** Our value may or may not have been chosen. */
  | { readonly status: 'unknown'; readonly reason: 'history-exceeded' | 'rounds-exhausted' }
  /** Gave up; no value of ours was or will be chosen. */
  | { readonly status: 'not-applied'; readonly reason: 'rounds-exhausted' };

export type ProposerPhase = 'needs-ballot' | 'preparing' | 'repairing' | 'proposing' | 'done';
export type RetryReason = 'start' | 'contention' | 'timeout' | 'repaired';

export class CasProposer {
  readonly nodeId: string;
  readonly replicas: readonly string[];
  readonly operationId: string;
  readonly maxRounds: number;
  readonly majority: number;
  readonly #condition: CasCondition;
  #phase: ProposerPhase = 'needs-ballot';
  #retryReason: RetryReason = 'start';
  #ballot: Ballot | null = null;
  #highestSeen: Ballot | null = null;
  #rounds = 0;
  #promises = new Map<string, Extract<PrepareReply, { kind: 'promise' }>>();
  #accepts = new Set<string>();
  #rejections = new Set<string>();
  /** What this round proposes (ours or a repair). */
  #proposal: Proposal | null = null;
  /** Our latest own proposal whose fate is not known yet. */
  #attempt: Proposal | null = null;
  #outcome: CasOutcome | null = null;

  constructor(options: CasProposerOptions) {
    const { replicas, operationId } = options;
    if (replicas.length < 1 || replicas.length > MAX_PAXOS_REPLICAS || new Set(replicas).size !== replicas.length) {
      throw new InvalidProposerOptionsError('replicas', replicas.join(','), `1 to ${MAX_PAXOS_REPLICAS} distinct nodes`);
    }
    if (operationId.length < 1 || operationId.length > MAX_OPERATION_ID_LENGTH) {
      throw new InvalidProposerOptionsError('operationId', operationId, `1 to ${MAX_OPERATION_ID_LENGTH} characters`);
    }
    if (options.nodeId.length < 1 || options.nodeId.length > 255) throw new InvalidProposerOptionsError('nodeId', options.nodeId, '1 to 255 characters');
    const maxRounds = options.maxRounds ?? DEFAULT_MAX_CAS_ROUNDS;
    if (!Number.isSafeInteger(maxRounds) || maxRounds < 1 || maxRounds > MAX_CAS_ROUNDS) throw new InvalidProposerOptionsError('maxRounds', maxRounds, `an integer in [1, ${MAX_CAS_ROUNDS}]`);
    this.nodeId = options.nodeId;
    this.replicas = [...replicas];
    this.operationId = operationId;
    this.maxRounds = maxRounds;
    this.majority = Math.floor(replicas.length / 2) + 1;
    this.#condition = options.condition;
  }

  get phase(): ProposerPhase {
    return this.#phase;
  }

  /** Why a new round is needed (meaningful in phase 'needs-ballot'; 'repaired' needs no backoff). */
  get retryReason(): RetryReason {
    return this.#retryReason;
  }

  /** The final outcome (null until phase 'done'). */
  get outcome(): CasOutcome | null {
    return this.#outcome;
  }

  /** The next round's ballot must be above this: use hlc.update(highestBallotSeen.timestamp). */
  get highestBallotSeen(): Ballot | null {
    return this.#highestSeen;
  }

  get rounds(): number {
    return this.#rounds;
  }

  /** Starts a round with ballot (timestamp, nodeId): returns the prepare messages. */
  startRound(timestamp: HlcTimestamp): PaxosMessage[] {
    if (this.#phase !== 'needs-ballot') throw new ProposerMisuseError('start a round', this.#phase);
    const ballot = assertBallot({ timestamp, nodeId: this.nodeId });
    if (this.#highestSeen !== null && compareBallots(ballot, this.#highestSeen) <= 0) throw new StaleBallotError(formatBallot(ballot), formatBallot(this.#highestSeen));
    this.#rounds++;
    this.#ballot = ballot;
    this.#highestSeen = ballot;
    this.#enter('preparing');
    return this.replicas.map((to) => ({ type: 'prepare', to, ballot }));
  }

  onPrepareReply(from: string, reply: PrepareReply): PaxosMessage[] {
    if (reply.kind === 'reject') this.#highestSeen = maxBallot(this.#highestSeen, reply.promised);
    if (this.#phase !== 'preparing' || !this.#isFresh(from, reply.ballot)) return [];
    if (reply.kind === 'reject') return this.#reject(from);
    this.#promises.set(from, reply);
    return this.#promises.size === this.majority ? this.#afterPromises() : [];
  }

  onProposeReply(from: string, reply: ProposeReply): PaxosMessage[] {
    if (reply.kind === 'reject') this.#highestSeen = maxBallot(this.#highestSeen, reply.promised);
    if ((this.#phase !== 'proposing' && this.#phase !== 'repairing') || !this.#isFresh(from, reply.ballot)) return [];
    if (reply.kind === 'reject') return this.#reject(from);
    this.#accepts.add(from);
    return this.#accepts.size === this.majority ? this.#chosen() : [];
  }

  /** The caller's timer for the current round fired. */
  onTimeout(): PaxosMessage[] {
    if (this.#phase === 'preparing' || this.#phase === 'proposing' || this.#phase === 'repairing') this.#retry('timeout');
    return [];
  }

  #isFresh(from: string, ballot: Ballot): boolean {
    return sameBallot(ballot, this.#ballot) && this.replicas.includes(from) && !this.#promises.has(from) && !this.#accepts.has(from) && !this.#rejections.has(from);
  }

  #reject(from: string): PaxosMessage[] {
    this.#rejections.add(from);
    if (this.#rejections.size > this.replicas.length - this.majority) this.#retry('contention');
    return [];
  }

  #afterPromises(): PaxosMessage[] {
    const ballot = this.#ballot as Ballot;
    const promises = [...this.#promises.values()];
    const latest = latestProposal(promises.map((promise) => promise.committed));
    const inProgress = latestProposal(promises.map((promise) => promise.accepted).filter((accepted) => accepted !== null && (latest === null || compareBallots(accepted.ballot, latest.ballot) > 0)));
    // Cassandra's "most recent commit" spread: promisers that miss the latest commit learn it.
    const messages: PaxosMessage[] = [];
    if (latest !== null) {
      for (const [to, promise] of this.#promises) {
        if (promise.committed === null || compareBallots(promise.committed.ballot, latest.ballot) < 0) messages.push({ type: 'commit', to, proposal: latest });
      }
    }
    if (inProgress !== null) return [...messages, ...this.#propose('repairing', { ...inProgress, ballot })];
    if (this.#attempt !== null && latest !== null && latest.height >= this.#attempt.height) {
      const chosenAtOurHeight = operationAtHeight(latest, this.#attempt.height);
      if (chosenAtOurHeight === undefined) return this.#finish({ status: 'unknown', reason: 'history-exceeded' }, messages);
      if (chosenAtOurHeight === this.operationId) return this.#finish({ status: 'applied', value: this.#attempt.value, height: this.#attempt.height }, messages);
      this.#attempt = null; // another value was chosen at our height: ours never will be
    }
    const current = latest?.value ?? null;
    const decision = this.#condition(current);
    if (!decision.write) return this.#finish({ status: 'condition-failed', current, height: latest?.height ?? 0 }, messages);
    this.#attempt = nextProposal(latest, ballot, this.operationId, decision.value);
    return [...messages, ...this.#propose('proposing', this.#attempt)];
  }

  #propose(phase: 'proposing' | 'repairing', proposal: Proposal): PaxosMessage[] {
    this.#enter(phase);
    this.#proposal = proposal;
    return this.replicas.map((to) => ({ type: 'propose', to, proposal }));
  }

  #chosen(): PaxosMessage[] {
    const proposal = this.#proposal as Proposal;
    const commits: PaxosMessage[] = this.replicas.map((to) => ({ type: 'commit', to, proposal }));
    if (proposal.operationId === this.operationId) return this.#finish({ status: 'applied', value: proposal.value, height: proposal.height }, commits);
    this.#retry('repaired');
    return commits;
  }

  #retry(reason: RetryReason): void {
    if (this.#rounds >= this.maxRounds) {
      this.#finish(this.#attempt !== null ? { status: 'unknown', reason: 'rounds-exhausted' } : { status: 'not-applied', reason: 'rounds-exhausted' }, []);
      return;
    }
    this.#retryReason = reason;
    this.#enter('needs-ballot');
  }

  #finish(outcome: CasOutcome, messages: PaxosMessage[]): PaxosMessage[] {
    this.#outcome = outcome;
    this.#enter('done');
    return messages;
  }

  #enter(phase: ProposerPhase): void {
    this.#phase = phase;
    this.#promises = new Map();
    this.#accepts = new Set();
    this.#rejections = new Set();
  }
}
