/**
 * The leader's bookkeeping for one partition, as a pure state machine (no I/O, time passed in):
 * where each follower's log ends, when it was last caught up, the ISR and the high watermark.
 *
 * Kafka's rules:
 * - A follower's log end is the offset it fetches from (it appended everything before it).
 * - It is caught up at a fetch if it asks for the leader's log end as of that fetch, or as of
 *   its previous fetch (so a steady stream of appends never makes a keeping-up follower lag).
 * - An ISR follower not caught up for longer than replica.lag.time.max.ms leaves the ISR; a
 *   follower outside it rejoins once it has reached the high watermark and the current epoch's
 *   first offset (so it holds everything this leader acknowledged).
 * - The high watermark is the smallest log end in the ISR (the leader's included) and never
 *   goes down while this leader leads.
 * ISR changes are proposals: the caller writes them to coord and reports back with `setIsr`.
 */

export interface FollowerProgress {
  logEndOffset: number;
  lastCaughtUpMs: number;
  /** Leader's log end at this follower's previous fetch (for the caught-up rule). */
  leaderEndAtLastFetch: number;
  lastFetchMs: number;
}

export interface IsrChange {
  isr: number[];
}

export class ReplicaTracker {
  private readonly followers = new Map<number, FollowerProgress>();
  private isrMembers: number[];
  private hw: number;

  constructor(
    readonly leaderId: number,
    readonly replicas: readonly number[],
    isr: readonly number[],
    /** The first offset of this leader's epoch: a follower below it may hold divergent data. */
    readonly epochStartOffset: number,
    private leaderEnd: number,
    highWatermark: number,
    nowMs: number,
  ) {
    this.isrMembers = [...isr];
    this.hw = Math.min(highWatermark, leaderEnd);
    // Followers start "caught up now" so a new leader gives each a full lag period to show up.
    for (const id of replicas) if (id !== leaderId) this.followers.set(id, { logEndOffset: -1, lastCaughtUpMs: nowMs, leaderEndAtLastFetch: -1, lastFetchMs: nowMs });
    this.advanceHighWatermark();
  }

  get isr(): readonly number[] {
    return this.isrMembers;
  }

  get highWatermark(): number {
    return this.hw;
  }

  get logEndOffset(): number {
    return this.leaderEnd;
  }

  progress(followerId: number): Readonly<FollowerProgress> | undefined {
    return this.followers.get(followerId);
  }

  /** After a local append. Returns whether the high watermark moved (a one-replica ISR). */
  onAppend(logEndOffset: number): boolean {
    this.leaderEnd = logEndOffset;
    return this.advanceHighWatermark();
  }

  /** A follower fetched from `fetchOffset`. Returns whether the high watermark moved. */
  onFollowerFetch(followerId: number, fetchOffset: number, nowMs: number): boolean {
    const follower = this.followers.get(followerId);
    if (follower === undefined) return false;
    if (fetchOffset >= this.leaderEnd) follower.lastCaughtUpMs = nowMs;
    else if (fetchOffset >= follower.leaderEndAtLastFetch && follower.leaderEndAtLastFetch >= 0) follower.lastCaughtUpMs = Math.max(follower.lastCaughtUpMs, follower.lastFetchMs);
    follower.logEndOffset = Math.min(fetchOffset, this.leaderEnd);
    follower.leaderEndAtLastFetch = this.leaderEnd;
    follower.lastFetchMs = nowMs;
    return this.advanceHighWatermark();
  }

  /** The ISR to propose now, if it should change: laggards out (shrink wins over expansion). */
  proposeIsrChange(nowMs: number, lagMaxMs: number): IsrChange | undefined {
    const laggards = this.isrMembers.filter((id) => id !== this.leaderId && nowMs - (this.followers.get(id)?.lastCaughtUpMs ?? nowMs) > lagMaxMs);
    if (laggards.length > 0) return { isr: this.isrMembers.filter((id) => !laggards.includes(id)) };
    const joiners = [...this.followers.entries()].filter(([id, f]) => !this.isrMembers.includes(id) && f.logEndOffset >= this.hw && f.logEndOffset >= this.epochStartOffset && nowMs - f.lastCaughtUpMs <= lagMaxMs).map(([id]) => id);
    if (joiners.length > 0) return { isr: this.replicas.filter((id) => this.isrMembers.includes(id) || joiners.includes(id)) };
    return undefined;
  }

  /** The ISR as now stored in coord. Returns whether the high watermark moved. */
  setIsr(isr: readonly number[]): boolean {
    this.isrMembers = [...isr];
    return this.advanceHighWatermark();
  }

  private advanceHighWatermark(): boolean {
    let candidate = this.leaderEnd;
    for (const id of this.isrMembers) {
      if (id === this.leaderId) continue;
      const end = this.followers.get(id)?.logEndOffset ?? -1;
      // An ISR follower that has not fetched yet holds the HW where it is.
      candidate = Math.min(candidate, end < 0 ? this.hw : end);
    }
    if (candidate <= this.hw) return false;
    this.hw = candidate;
    return true;
  }
}
