/**
 * RaftNode: consensus as a pure state machine (after etcd-io/raft). Ticks and messages go in;
 * `ready()` hands out what to persist, send and apply; the caller does so in that order and calls
 * `advance(ready)`. No I/O, clock or randomness of its own (`config.random` is injected).
 *
 * Persistence ordering: every message that depends on new state (a vote, an acknowledgement of
 * entries) is queued in the same or a later Ready than that state, and the caller persists a
 * Ready's state before sending its messages.
 */
import { assertRaft, NotLeaderError, ProposalBackpressureError, ProposalTooLargeError, RaftInvariantError } from './errors.js';
import { LeaderReplication } from './leader-replication.js';
import { MAX_ENTRY_DATA_BYTES, MAX_MESSAGE_TERM, MAX_RAFT_INDEX, MAX_RAFT_TERM, MAX_TERM_STEP_ABOVE_MESSAGE_TERM, MAX_UNCOMMITTED_ENTRIES } from './limits.js';
import { validateConfig, type ResolvedConfig } from './config.js';
import { RaftLog } from './raft-log.js';
import { isValidAppend, isValidSnapshot } from './message-checks.js';
import type { Entry, HardState, Message, MessageBody, NodeId, RaftConfig, Ready, RestoredState, Role, Snapshot, SoftState } from './types.js';

export class RaftNode {
  readonly id: NodeId;
  private readonly config: ResolvedConfig;
  private readonly log: RaftLog;
  private currentTerm = 0;
  private votedFor: NodeId | 0 = 0;
  private currentRole: Role = 'follower';
  private currentLeader: NodeId | 0 = 0;
  private electionElapsed = 0;
  private heartbeatElapsed = 0;
  private randomizedElectionTicks = 0;
  private votes = new Map<NodeId, boolean>();
  private replication: LeaderReplication | undefined;
  private outbox: Message[] = [];
  private pendingSnapshot: Snapshot | undefined;
  private persistedHardState: HardState;
  private reportedSoftState: SoftState = { leaderId: 0, role: 'follower' };

  constructor(config: RaftConfig, restored?: RestoredState) {
    this.config = validateConfig(config);
    this.id = config.id;
    const hardState = restored?.hardState ?? { term: 0, votedFor: 0, commit: 0 };
    assertRaft(hardState.term <= MAX_RAFT_TERM, 'restored term fits the zxid layout', { term: hardState.term });
    this.log = RaftLog.restore(restored?.snapshot, restored?.entries ?? [], hardState.commit);
    this.currentTerm = hardState.term;
    this.votedFor = hardState.votedFor;
    this.persistedHardState = { ...hardState };
    this.becomeFollower(this.currentTerm, 0);
  }

  get role(): Role { return this.currentRole; }
  get leaderId(): NodeId | 0 { return this.currentLeader; }
  get term(): number { return this.currentTerm; }
  get commitIndex(): number { return this.log.commit; }
  get lastIndex(): number { return this.log.lastIndex; }
  get appliedIndex(): number { return this.log.applied; }
  /** Oldest index still in the log; everything before is in `snapshot`. */
  get firstIndex(): number { return this.log.firstIndex; }
  get snapshot(): Snapshot { return this.log.snapshot; }
  termAt(index: number): number | undefined { return this.log.termAt(index); }
  entryAt(index: number): Entry | undefined { return this.log.entryAt(index); }

  tick(): void {
    if (this.currentRole === 'leader') this.tickLeader();
    else this.tickElection();
  }

  private tickElection(): void {
    this.electionElapsed++;
    if (this.electionElapsed >= this.randomizedElectionTicks) this.campaign();
  }

  private tickLeader(): void {
    this.heartbeatElapsed++;
    this.electionElapsed++;
    if (this.electionElapsed >= this.config.electionTicks) {
      this.electionElapsed = 0;
      if (this.config.checkQuorum && !this.replication!.quorumActive()) {
        this.becomeFollower(this.currentTerm, 0);
        return;
      }
    }
    this.replication!.tick();
    if (this.heartbeatElapsed >= this.config.heartbeatTicks) {
      this.heartbeatElapsed = 0;
      this.replication!.broadcastHeartbeat();
    }
  }

  propose(data: Uint8Array): { index: number; term: number } {
    if (this.currentRole !== 'leader') throw new NotLeaderError(this.id, this.currentLeader);
    if (data.byteLength > MAX_ENTRY_DATA_BYTES) throw new ProposalTooLargeError(data.byteLength, MAX_ENTRY_DATA_BYTES);
    const uncommitted = this.log.lastIndex - this.log.commit;
    if (uncommitted >= MAX_UNCOMMITTED_ENTRIES) throw new ProposalBackpressureError(uncommitted);
    return this.appendAsLeader('normal', data);
  }

  private appendAsLeader(kind: Entry['kind'], data: Uint8Array): { index: number; term: number } {
    const index = this.log.lastIndex + 1;
    if (index > MAX_RAFT_INDEX) throw new RaftInvariantError('log index space (2^32) exhausted', { index });
    this.log.appendNew({ index, term: this.currentTerm, kind, data });
    this.replication!.maybeCommit();
    this.replication!.broadcastAppend(false);
    return { index, term: this.currentTerm };
  }

  /** Handles one message. Messages from unknown peers, not addressed to us or malformed are dropped. */
  step(message: Message): void {
    if (message.to !== this.id || message.from === this.id || !this.config.peers.includes(message.from)) return;
    if (!Number.isSafeInteger(message.term) || message.term < 0 || message.term > MAX_RAFT_TERM) return;
    if (message.term > MAX_MESSAGE_TERM && message.term > this.currentTerm + MAX_TERM_STEP_ABOVE_MESSAGE_TERM) return;
    if (message.term > this.currentTerm && !this.onHigherTerm(message)) return;
    if (message.term < this.currentTerm) return this.onLowerTerm(message);
    this.dispatch(message);
  }

  /** Returns false when the message must be dropped instead. */
  private onHigherTerm(message: Message): boolean {
    if (message.type === 'PreVote' || message.type === 'RequestVote') {
      // Leader stickiness: while we hear from a leader, a vote request can only come from a node
      // that was cut off; granting it would depose a healthy leader.
      if (this.inLease()) return false;
      if (message.type === 'RequestVote') this.becomeFollower(message.term, 0);
      return true;
    }
    // A granted pre-vote carries the candidate's future term; it must not move ours.
    if (message.type === 'PreVoteResponse' && message.granted) return true;
    const fromLeader = message.type === 'AppendEntries' || message.type === 'Heartbeat' || message.type === 'InstallSnapshot';
    this.becomeFollower(message.term, fromLeader ? message.from : 0);
    return true;
  }

  private onLowerTerm(message: Message): void {
    if (message.type === 'AppendEntries' || message.type === 'Heartbeat') {
      // A deposed leader cut off by a partition: answering with our term makes it step down.
      // Without this, pre-vote + checkQuorum can leave it heartbeating forever.
      this.send(message.from, { type: 'AppendEntriesResponse', success: false, index: 0, hintIndex: 0, hintTerm: 0 });
    } else if (message.type === 'PreVote') {
      this.send(message.from, { type: 'PreVoteResponse', granted: false });
    }
  }

  private inLease(): boolean {
    return this.config.checkQuorum && this.currentLeader !== 0 && this.electionElapsed < this.config.electionTicks;
  }

  private dispatch(message: Message): void {
    switch (message.type) {
      case 'PreVote': return this.onPreVote(message);
      case 'RequestVote': return this.onRequestVote(message);
      case 'PreVoteResponse':
      case 'RequestVoteResponse': return this.onVoteResponse(message);
      case 'AppendEntries': return this.onAppendEntries(message);
      case 'Heartbeat': return this.onHeartbeat(message);
      case 'InstallSnapshot': return this.onInstallSnapshot(message);
      case 'AppendEntriesResponse': return this.replication?.onAppendResponse(message.from, message);
      case 'HeartbeatResponse': return this.replication?.onHeartbeatResponse(message.from);
      case 'InstallSnapshotResponse': return this.replication?.onSnapshotResponse(message.from, message);
    }
  }

  private logIsUpToDate(lastLogIndex: number, lastLogTerm: number): boolean {
    return lastLogTerm > this.log.lastTerm || (lastLogTerm === this.log.lastTerm && lastLogIndex >= this.log.lastIndex);
  }

  private onPreVote(message: Extract<Message, { type: 'PreVote' }>): void {
    const granted = message.term > this.currentTerm && this.logIsUpToDate(message.lastLogIndex, message.lastLogTerm);
    // A grant answers in the candidate's future term, a refusal in ours (so it can catch up).
    this.outbox.push({ from: this.id, to: message.from, term: granted ? message.term : this.currentTerm, type: 'PreVoteResponse', granted });
  }

  private onRequestVote(message: Extract<Message, { type: 'RequestVote' }>): void {
    const canVote = this.votedFor === message.from || (this.votedFor === 0 && this.currentLeader === 0);
    const granted = canVote && this.logIsUpToDate(message.lastLogIndex, message.lastLogTerm);
    if (granted) {
      this.votedFor = message.from;
      this.electionElapsed = 0;
    }
    this.send(message.from, { type: 'RequestVoteResponse', granted });
  }

  private onVoteResponse(message: Extract<Message, { type: 'PreVoteResponse' | 'RequestVoteResponse' }>): void {
    const expectedRole = message.type === 'PreVoteResponse' ? 'pre-candidate' : 'candidate';
    if (this.currentRole !== expectedRole) return;
    if (message.type === 'PreVoteResponse' && message.granted && message.term !== this.currentTerm + 1) return;
    this.votes.set(message.from, message.granted);
    const outcome = this.electionOutcome();
    if (outcome === 'won') {
      if (this.currentRole === 'pre-candidate') this.becomeCandidate();
      else this.becomeLeader();
    } else if (outcome === 'lost') {
      this.becomeFollower(this.currentTerm, 0);
    }
  }

  private electionOutcome(): 'won' | 'lost' | 'pending' {
    const quorum = Math.floor(this.config.peers.length / 2) + 1;
    let granted = 0;
    for (const vote of this.votes.values()) if (vote) granted++;
    if (granted >= quorum) return 'won';
    return this.votes.size - granted >= quorum ? 'lost' : 'pending';
  }

  /** Accepts the sender as leader of the current term; false if we are that term's leader. */
  private followSender(message: Message): boolean {
    if (this.currentRole === 'leader') return false;
    if (this.currentRole !== 'follower') this.becomeFollower(message.term, message.from);
    this.currentLeader = message.from;
    this.electionElapsed = 0;
    return true;
  }

  private onAppendEntries(message: Extract<Message, { type: 'AppendEntries' }>): void {
    if (!isValidAppend(message) || !this.followSender(message)) return;
    if (message.prevLogIndex < this.log.commit) {
      this.send(message.from, { type: 'AppendEntriesResponse', success: true, index: this.log.commit, hintIndex: 0, hintTerm: 0 });
      return;
    }
    if (!this.log.matchTerm(message.prevLogIndex, message.prevLogTerm)) {
      const hint = this.log.findConflictByTerm(message.prevLogIndex, message.prevLogTerm);
      this.send(message.from, { type: 'AppendEntriesResponse', success: false, index: message.prevLogIndex, hintIndex: hint.index, hintTerm: hint.term });
      return;
    }
    const lastNewIndex = this.log.appendFromLeader(message.prevLogIndex, message.entries);
    this.log.commitTo(Math.min(message.commit, lastNewIndex));
    this.send(message.from, { type: 'AppendEntriesResponse', success: true, index: lastNewIndex, hintIndex: 0, hintTerm: 0 });
  }

  private onHeartbeat(message: Extract<Message, { type: 'Heartbeat' }>): void {
    if (!this.followSender(message)) return;
    // The leader sends min(commit, our match), so everything up to it is in our log already.
    if (Number.isSafeInteger(message.commit)) this.log.commitTo(Math.min(message.commit, this.log.lastIndex));
    this.send(message.from, { type: 'HeartbeatResponse' });
  }

  private onInstallSnapshot(message: Extract<Message, { type: 'InstallSnapshot' }>): void {
    const snapshot = message.snapshot;
    if (!isValidSnapshot(snapshot, message.term) || !this.followSender(message)) return;
    if (snapshot.index <= this.log.commit) {
      this.send(message.from, { type: 'InstallSnapshotResponse', index: this.log.commit });
      return;
    }
    if (this.log.matchTerm(snapshot.index, snapshot.term)) {
      // We already hold that prefix (log matching): just commit it, keep what follows.
      this.log.commitTo(snapshot.index);
    } else {
      this.log.restoreSnapshot(snapshot);
      this.pendingSnapshot = snapshot;
    }
    this.send(message.from, { type: 'InstallSnapshotResponse', index: snapshot.index });
  }

  private campaign(): void {
    if (this.config.preVote) this.becomePreCandidate();
    else this.becomeCandidate();
  }

  private becomePreCandidate(): void {
    this.setRole('pre-candidate', 0);
    this.startElection('PreVote', this.currentTerm + 1);
  }

  private becomeCandidate(): void {
    assertRaft(this.currentTerm < MAX_RAFT_TERM, 'term space exhausted', { term: this.currentTerm });
    this.currentTerm++;
    this.votedFor = this.id;
    this.setRole('candidate', 0);
    this.startElection('RequestVote', this.currentTerm);
  }

  private startElection(type: 'PreVote' | 'RequestVote', electionTerm: number): void {
    this.votes = new Map([[this.id, true]]);
    if (this.electionOutcome() === 'won') {
      if (type === 'PreVote') this.becomeCandidate();
      else this.becomeLeader();
      return;
    }
    for (const peer of this.config.peers) {
      if (peer === this.id) continue;
      this.outbox.push({ from: this.id, to: peer, term: electionTerm, type, lastLogIndex: this.log.lastIndex, lastLogTerm: this.log.lastTerm });
    }
  }

  private becomeLeader(): void {
    assertRaft(this.currentRole === 'candidate', 'only a candidate becomes leader', { role: this.currentRole });
    this.setRole('leader', this.id);
    this.replication = new LeaderReplication(this.log, { ...this.config, id: this.id, term: this.currentTerm }, (to, body) => this.send(to, body));
    // The noop lets this term commit, and with it every earlier entry (Raft §5.4.2, §8).
    this.appendAsLeader('noop', new Uint8Array(0));
  }

  private becomeFollower(term: number, leaderId: NodeId | 0): void {
    if (term > this.currentTerm) {
      this.currentTerm = term;
      this.votedFor = 0;
    }
    this.setRole('follower', leaderId);
  }

  private setRole(role: Role, leaderId: NodeId | 0): void {
    this.currentRole = role;
    this.currentLeader = leaderId;
    this.replication = role === 'leader' ? this.replication : undefined;
    this.votes = new Map();
    this.electionElapsed = 0;
    this.heartbeatElapsed = 0;
    const spreadTicks = Math.min(Math.floor(this.config.random() * this.config.electionTicks), this.config.electionTicks - 1);
    this.randomizedElectionTicks = this.config.electionTicks + Math.max(0, spreadTicks);
  }

  private send(to: NodeId, body: MessageBody): void {
    this.outbox.push({ from: this.id, to, term: this.currentTerm, ...body });
  }

  hasReady(): boolean {
    return (
      this.outbox.length > 0 ||
      this.log.stableIndex < this.log.lastIndex ||
      this.pendingSnapshot !== undefined ||
      this.log.commit > Math.max(this.log.applied, this.log.snapshot.index) ||
      !sameHardState(this.hardState(), this.persistedHardState) ||
      !sameSoftState(this.softState(), this.reportedSoftState)
    );
  }

  /** The work pending since the last advance(); calling it again before advance() returns the
   * same work plus anything that happened in between. */
  ready(): Ready {
    const ready: Ready = { entries: this.log.unstableEntries(), messages: this.outbox.slice(), committedEntries: this.log.nextCommitted() };
    const hardState = this.hardState();
    if (!sameHardState(hardState, this.persistedHardState)) ready.hardState = hardState;
    if (this.pendingSnapshot !== undefined) ready.snapshot = this.pendingSnapshot;
    const softState = this.softState();
    if (!sameSoftState(softState, this.reportedSoftState)) ready.softState = softState;
    return ready;
  }

  /** The caller persisted, sent and applied everything in `ready`. */
  advance(ready: Ready): void {
    assertRaft(ready.messages.length <= this.outbox.length && ready.messages.every((m, i) => m === this.outbox[i]), 'advance() gets the last ready() in order');
    this.outbox.splice(0, ready.messages.length);
    const lastEntry = ready.entries.at(-1);
    if (lastEntry !== undefined) this.log.stableTo(lastEntry.index, lastEntry.term);
    if (ready.snapshot !== undefined && this.pendingSnapshot?.index === ready.snapshot.index) this.pendingSnapshot = undefined;
    const appliedIndex = Math.max(ready.committedEntries.at(-1)?.index ?? 0, ready.snapshot?.index ?? 0);
    if (appliedIndex > 0) this.log.appliedTo(appliedIndex);
    if (ready.hardState !== undefined) this.persistedHardState = ready.hardState;
    if (ready.softState !== undefined) this.reportedSoftState = ready.softState;
  }

  /**
   * The application captured its state up to `index` (<= appliedIndex) in `data`: drop the log up
   * to there. Returns the snapshot to hand to storage, or undefined when the log is already
   * compacted past `index`.
   */
  compact(index: number, data: Uint8Array): Snapshot | undefined {
    if (index <= this.log.snapshot.index) return undefined;
    assertRaft(index <= this.log.applied, 'compact only what the application applied', { index, applied: this.log.applied });
    const snapshot: Snapshot = { index, term: this.log.termAt(index)!, data };
    this.log.compact(snapshot);
    return snapshot;
  }

  private hardState(): HardState {
    return { term: this.currentTerm, votedFor: this.votedFor, commit: this.log.commit };
  }

  private softState(): SoftState {
    return { leaderId: this.currentLeader, role: this.currentRole };
  }
}

function sameHardState(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.votedFor === b.votedFor && a.commit === b.commit;
}

function sameSoftState(a: SoftState, b: SoftState): boolean {
  return a.leaderId === b.leaderId && a.role === b.role;
}
