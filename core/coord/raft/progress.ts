/**
 * What a leader knows about one follower's log (etcd's Progress):
 * - probe: one AppendEntries at a time until the follower's match point is found;
 * - replicate: stream optimistically, at most `maxInflight` unacknowledged appends;
 * - snapshot: an InstallSnapshot is in flight; wait for its answer (or time out and probe again).
 */
import { assertRaft } from './errors.js';

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

export class Progress {
  state: ProgressState = 'probe';
  /** Highest index known replicated on the follower. */
  match = 0;
  /** Next index to send. */
  next: number;
  /** In probe state: an append is out, wait for its answer or a heartbeat response. */
  probeSent = false;
  /** Last index of each unacknowledged append, ascending. */
  private inflight: number[] = [];
  pendingSnapshotIndex = 0;
  ticksInSnapshotState = 0;
  /** Heard from since the last checkQuorum round. */
  recentActive = false;

  constructor(
    lastIndex: number,
    private readonly maxInflight: number,
  ) {
    this.next = lastIndex + 1;
  }

  isPaused(): boolean {
    if (this.state === 'probe') return this.probeSent;
    if (this.state === 'replicate') return this.inflight.length >= this.maxInflight;
    return true;
  }

  becomeProbe(): void {
    // After a snapshot the follower holds at least its index: probe from there.
    const from = this.state === 'snapshot' ? Math.max(this.match, this.pendingSnapshotIndex) : this.match;
    this.reset('probe');
    this.next = from + 1;
  }

  becomeReplicate(): void {
    this.reset('replicate');
    this.next = this.match + 1;
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.reset('snapshot');
    this.pendingSnapshotIndex = snapshotIndex;
  }

  private reset(state: ProgressState): void {
    this.state = state;
    this.probeSent = false;
    this.inflight = [];
    this.pendingSnapshotIndex = 0;
    this.ticksInSnapshotState = 0;
  }

  /** Records that entries up to `lastIndex` were sent. */
  sentEntries(lastIndex: number): void {
    if (this.state === 'replicate') {
      assertRaft(lastIndex >= this.next, 'replicate sends move next forward', { lastIndex, next: this.next });
      this.next = lastIndex + 1;
      this.inflight.push(lastIndex);
    } else {
      this.probeSent = true;
    }
  }

  /** Acknowledgement up to `index`; returns whether match moved. */
  maybeUpdate(index: number): boolean {
    this.probeSent = false;
    const moved = index > this.match;
    if (moved) this.match = index;
    this.next = Math.max(this.next, index + 1);
    while (this.inflight.length > 0 && this.inflight[0]! <= index) this.inflight.shift();
    return moved;
  }

  /**
   * A rejection of the append at `rejectedIndex` (`probeFrom`: where the follower's hint says to
   * look). Returns 'stale' to ignore it, 'retry' to send the next probe, or 'lost' when the
   * follower no longer holds entries it acknowledged (`match` then drops to the hint).
   *
   * In replicate state a rejection at or below `match` is either a stale (reordered or duplicated)
   * message or a follower whose disk lost an acknowledged tail. One probe at `match` tells them
   * apart: a stale rejection costs one round trip, a lost tail is rejected again in probe state.
   */
  maybeDecrease(rejectedIndex: number, probeFrom: number): 'stale' | 'retry' | 'lost' {
    if (this.state === 'snapshot') return 'stale';
    if (this.state === 'replicate') {
      this.becomeProbe();
      if (rejectedIndex > this.match) this.next = Math.max(Math.min(rejectedIndex, probeFrom + 1), this.match + 1);
      return 'retry';
    }
    if (rejectedIndex !== this.next - 1) return 'stale';
    if (rejectedIndex <= this.match) {
      // The follower rejected the very index it acknowledged: outside Raft's model (a disk that
      // dropped fsynced data), but repairable while the leader still holds the entries.
      this.match = Math.max(0, Math.min(this.match - 1, probeFrom));
      this.becomeProbe();
      return 'lost';
    }
    this.becomeProbe();
    this.next = Math.max(Math.min(rejectedIndex, probeFrom + 1), this.match + 1);
    return 'retry';
  }

  /** A heartbeat came back: the follower is reachable, so let one more append through even if
   * earlier ones were lost. */
  onHeartbeatResponse(): void {
    this.probeSent = false;
    if (this.state === 'replicate' && this.inflight.length >= this.maxInflight) this.inflight.shift();
  }
}
