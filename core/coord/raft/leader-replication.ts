/**
 * The leader's side of log replication for one term: per-follower Progress, AppendEntries and
 * InstallSnapshot sending with flow control, acknowledgement handling and commit counting.
 * Created when a node becomes leader and discarded when it steps down, so no state of an old
 * term can leak into a new one.
 *
 * Commit rule (Raft §5.4.2): an index commits when a quorum stores it *and* its entry has the
 * current term; earlier-term entries commit only indirectly, under a current-term entry.
 */
import { Progress } from './progress.js';
import type { RaftLog } from './raft-log.js';
import { MAX_APPEND_BYTES } from './limits.js';
import { assertRaft } from './errors.js';
import type { FollowerLogLoss, MessageBody, NodeId } from './types.js';

export interface ReplicationOptions {
  id: NodeId;
  peers: NodeId[];
  term: number;
  electionTicks: number;
  maxEntriesPerAppend: number;
  maxInflightAppends: number;
  onFollowerLogLost?: (loss: FollowerLogLoss) => void;
}

type AckBody<T extends MessageBody['type']> = Extract<MessageBody, { type: T }>;

export class LeaderReplication {
  private readonly progress = new Map<NodeId, Progress>();

  constructor(
    private readonly log: RaftLog,
    private readonly options: ReplicationOptions,
    private readonly send: (to: NodeId, body: MessageBody) => void,
  ) {
    for (const peer of options.peers) {
      if (peer === options.id) continue;
      const progress = new Progress(log.lastIndex, options.maxInflightAppends);
      // A fresh leader gets one election timeout of grace before checkQuorum may depose it.
      progress.recentActive = true;
      this.progress.set(peer, progress);
    }
  }

  progressOf(peer: NodeId): Readonly<Progress> | undefined {
    return this.progress.get(peer);
  }

  broadcastAppend(allowEmpty: boolean): void {
    for (const peer of this.progress.keys()) this.sendAppend(peer, allowEmpty);
  }

  broadcastHeartbeat(): void {
    for (const [peer, progress] of this.progress) {
      this.send(peer, { type: 'Heartbeat', commit: Math.min(progress.match, this.log.commit) });
    }
  }

  /** One leader tick: an InstallSnapshot unanswered for an election timeout is presumed lost. */
  tick(): void {
    for (const [peer, progress] of this.progress) {
      if (progress.state !== 'snapshot') continue;
      progress.ticksInSnapshotState++;
      if (progress.ticksInSnapshotState >= this.options.electionTicks) {
        progress.becomeProbe();
        this.sendAppend(peer, true);
      }
    }
  }

  /** checkQuorum: did a quorum (counting the leader) talk to us since the last call? */
  quorumActive(): boolean {
    let active = 1;
    for (const progress of this.progress.values()) {
      if (progress.recentActive) active++;
      progress.recentActive = false;
    }
    return active >= this.quorum();
  }

  /** Sends what follows `next` (or a snapshot if that part of the log is compacted).
   * Returns whether anything was sent. */
  sendAppend(peer: NodeId, allowEmpty: boolean): boolean {
    const progress = this.progress.get(peer)!;
    if (progress.isPaused()) return false;
    const prevLogIndex = progress.next - 1;
    assertRaft(prevLogIndex <= this.log.lastIndex, 'next is at most one past the log', { peer, next: progress.next });
    const prevLogTerm = this.log.termAt(prevLogIndex);
    if (prevLogTerm === undefined) {
      progress.becomeSnapshot(this.log.snapshot.index);
      this.send(peer, { type: 'InstallSnapshot', snapshot: this.log.snapshot });
      return true;
    }
    const entries = this.log.slice(progress.next, this.log.lastIndex, this.options.maxEntriesPerAppend, MAX_APPEND_BYTES);
    if (entries.length === 0 && !allowEmpty) return false;
    this.send(peer, { type: 'AppendEntries', prevLogIndex, prevLogTerm, entries, commit: this.log.commit });
    if (entries.length > 0) progress.sentEntries(entries.at(-1)!.index);
    else if (progress.state === 'probe') progress.probeSent = true;
    return true;
  }

  /** Keeps a replicating follower's pipeline full. */
  private sendAppendsWhileOpen(peer: NodeId): void {
    const progress = this.progress.get(peer)!;
    if (progress.state !== 'replicate') return;
    while (progress.next <= this.log.lastIndex && this.sendAppend(peer, false)) {
      // sendAppend advanced `next`; loop until the window is full or the log is exhausted.
    }
  }

  onAppendResponse(peer: NodeId, ack: AckBody<'AppendEntriesResponse'>): void {
    const progress = this.progress.get(peer);
    if (progress === undefined || ack.index > this.log.lastIndex) return;
    progress.recentActive = true;
    if (!ack.success) {
      const probeFrom = ack.hintTerm > 0 ? this.log.findConflictByTerm(ack.hintIndex, ack.hintTerm).index : ack.hintIndex;
      const acknowledgedIndex = progress.match;
      const verdict = progress.maybeDecrease(ack.index, probeFrom);
      if (verdict === 'lost') this.options.onFollowerLogLost?.({ follower: peer, acknowledgedIndex, followerHintIndex: ack.hintIndex, reprobeFrom: progress.next });
      if (verdict !== 'stale') this.sendAppend(peer, true);
      return;
    }
    this.onReplicated(peer, progress, ack.index);
  }

  onSnapshotResponse(peer: NodeId, ack: AckBody<'InstallSnapshotResponse'>): void {
    const progress = this.progress.get(peer);
    if (progress === undefined || ack.index > this.log.lastIndex) return;
    progress.recentActive = true;
    this.onReplicated(peer, progress, ack.index);
  }

  onHeartbeatResponse(peer: NodeId): void {
    const progress = this.progress.get(peer);
    if (progress === undefined) return;
    progress.recentActive = true;
    progress.onHeartbeatResponse();
    // An empty append re-establishes the match point if earlier appends or their acks were lost.
    if (progress.match < this.log.lastIndex) this.sendAppend(peer, true);
  }

  private onReplicated(peer: NodeId, progress: Progress, index: number): void {
    if (progress.maybeUpdate(index)) {
      if (progress.state === 'probe') progress.becomeReplicate();
      else if (progress.state === 'snapshot' && progress.match >= progress.pendingSnapshotIndex) progress.becomeProbe();
      // Tell followers about the new commit point right away rather than at the next heartbeat.
      if (this.maybeCommit()) this.broadcastAppend(true);
    }
    if (progress.state === 'probe') this.sendAppend(peer, false);
    else this.sendAppendsWhileOpen(peer);
  }

  /** Advances the commit index to the highest current-term index stored on a quorum. */
  maybeCommit(): boolean {
    const matches = [this.log.lastIndex, ...[...this.progress.values()].map((progress) => progress.match)];
    matches.sort((a, b) => b - a);
    const quorumIndex = matches[this.quorum() - 1]!;
    if (quorumIndex <= this.log.commit || this.log.termAt(quorumIndex) !== this.options.term) return false;
    return this.log.commitTo(quorumIndex);
  }

  private quorum(): number {
    return Math.floor(this.options.peers.length / 2) + 1;
  }
}
