/**
 * The in-memory Raft log of one node: a snapshot (everything up to `snapshot.index`) followed by
 * contiguous entries. It also tracks what is durable (`stableIndex`), committed and applied, which
 * is what lets RaftNode hand out exactly the unpersisted suffix in each Ready.
 *
 * Guarantees: committed entries are never truncated; applied <= commit <= lastIndex; indexes stay
 * at or below MAX_RAFT_INDEX (the zxid layout). Violations throw RaftInvariantError.
 */
import { assertRaft } from './errors.js';
import { MAX_RAFT_INDEX } from './limits.js';
import type { Entry, Snapshot } from './types.js';

const EMPTY_SNAPSHOT: Snapshot = { index: 0, term: 0, data: new Uint8Array(0) };

export class RaftLog {
  snapshot: Snapshot = EMPTY_SNAPSHOT;
  /** entries[i].index === snapshot.index + 1 + i */
  private entries: Entry[] = [];
  commit = 0;
  applied = 0;
  /** Highest index known durable; entries above it go into the next Ready. */
  stableIndex = 0;

  /** Rebuilds the log from durable state (all of it is stable by definition). */
  static restore(snapshot: Snapshot | undefined, entries: Entry[], commit: number): RaftLog {
    const log = new RaftLog();
    if (snapshot !== undefined) log.snapshot = snapshot;
    for (const [offset, entry] of entries.entries()) {
      assertRaft(entry.index === log.snapshot.index + 1 + offset, 'restored entries are contiguous after the snapshot', { index: entry.index, offset });
    }
    log.entries = entries.slice();
    log.stableIndex = log.lastIndex;
    log.applied = log.snapshot.index;
    assertRaft(commit >= log.snapshot.index && commit <= log.lastIndex, 'restored commit within the log', { commit, last: log.lastIndex });
    log.commit = commit;
    return log;
  }

  get firstIndex(): number {
    return this.snapshot.index + 1;
  }

  get lastIndex(): number {
    return this.snapshot.index + this.entries.length;
  }

  get lastTerm(): number {
    return this.termAt(this.lastIndex) ?? 0;
  }

  /** Term of the entry at `index`; undefined when compacted away or beyond the end. */
  termAt(index: number): number | undefined {
    if (index === this.snapshot.index) return this.snapshot.term;
    return this.entryAt(index)?.term;
  }

  entryAt(index: number): Entry | undefined {
    if (index <= this.snapshot.index) return undefined;
    return this.entries[index - this.snapshot.index - 1];
  }

  matchTerm(index: number, term: number): boolean {
    return this.termAt(index) === term;
  }

  /** Entries in [lo, hi] (inclusive), at most `maxCount` and about `maxBytes` (at least one). */
  slice(lo: number, hi: number, maxCount = Infinity, maxBytes = Infinity): Entry[] {
    assertRaft(lo >= this.firstIndex, 'slice starts after the snapshot', { lo, first: this.firstIndex });
    const out: Entry[] = [];
    let sizeBytes = 0;
    for (let index = lo; index <= Math.min(hi, this.lastIndex) && out.length < maxCount; index++) {
      const entry = this.entryAt(index)!;
      sizeBytes += entry.data.byteLength;
      if (out.length > 0 && sizeBytes > maxBytes) break;
      out.push(entry);
    }
    return out;
  }

  /** Entries not yet durable, to put into a Ready. */
  unstableEntries(): Entry[] {
    return this.stableIndex >= this.lastIndex ? [] : this.slice(Math.max(this.stableIndex + 1, this.firstIndex), this.lastIndex);
  }

  /** Committed entries not yet handed to the application. */
  nextCommitted(): Entry[] {
    const from = Math.max(this.applied + 1, this.firstIndex);
    return from > this.commit ? [] : this.slice(from, this.commit);
  }

  /** Appends the leader's own new entry. */
  appendNew(entry: Entry): void {
    assertRaft(entry.index === this.lastIndex + 1 && entry.index <= MAX_RAFT_INDEX, 'new entry follows the log', { index: entry.index, last: this.lastIndex });
    assertRaft(entry.term >= this.lastTerm, 'terms never decrease along the log', { term: entry.term, lastTerm: this.lastTerm });
    this.entries.push(entry);
  }

  /**
   * Follower side of AppendEntries once prevLogIndex/prevLogTerm matched: skips entries it
   * already has, truncates at the first conflict and appends the rest. Returns the last index
   * the leader's message covers.
   */
  appendFromLeader(prevLogIndex: number, entries: Entry[]): number {
    let next = 0;
    while (next < entries.length && this.matchTerm(entries[next]!.index, entries[next]!.term)) next++;
    if (next < entries.length) this.truncateAndAppend(entries.slice(next));
    return prevLogIndex + entries.length;
  }

  private truncateAndAppend(entries: Entry[]): void {
    const first = entries[0]!.index;
    assertRaft(first > this.commit, 'never truncate committed entries', { first, commit: this.commit });
    assertRaft(first >= this.firstIndex && first <= this.lastIndex + 1, 'append is contiguous', { first, last: this.lastIndex });
    assertRaft(entries.at(-1)!.index <= MAX_RAFT_INDEX, 'index fits the zxid layout', { index: entries.at(-1)!.index });
    this.entries.length = first - this.firstIndex;
    for (const entry of entries) this.appendNew(entry);
    // What was durable beyond `first` is being replaced: it must be written again.
    this.stableIndex = Math.min(this.stableIndex, first - 1);
  }

  commitTo(index: number): boolean {
    if (index <= this.commit) return false;
    assertRaft(index <= this.lastIndex, 'commit within the log', { index, last: this.lastIndex });
    this.commit = index;
    return true;
  }

  /** The caller persisted entries up to (index, term); ignored if the log changed since. */
  stableTo(index: number, term: number): void {
    if (this.matchTerm(index, term) && index > this.stableIndex) this.stableIndex = index;
  }

  appliedTo(index: number): void {
    assertRaft(index <= this.commit, 'apply only committed entries', { index, commit: this.commit });
    if (index > this.applied) this.applied = index;
  }

  /** Drops entries up to `snapshot.index` (which must be applied) and keeps the snapshot. */
  compact(snapshot: Snapshot): void {
    assertRaft(snapshot.index <= this.applied && snapshot.index <= this.stableIndex, 'compact only applied, durable entries', { index: snapshot.index, applied: this.applied });
    assertRaft(this.termAt(snapshot.index) === snapshot.term, 'snapshot term matches the log', { index: snapshot.index });
    this.entries = this.entries.slice(snapshot.index - this.snapshot.index);
    this.snapshot = snapshot;
  }

  /** Replaces the whole log by a leader's snapshot (the follower lacked or conflicted at its index). */
  restoreSnapshot(snapshot: Snapshot): void {
    assertRaft(snapshot.index > this.commit, 'a restored snapshot moves past the commit', { index: snapshot.index, commit: this.commit });
    this.snapshot = snapshot;
    this.entries = [];
    this.commit = snapshot.index;
    this.stableIndex = snapshot.index;
  }

  /** The largest index <= `index` whose term is <= `term` (or the first unknown one): where a
   * leader should probe next after a rejection (etcd's findConflictByTerm). */
  findConflictByTerm(index: number, term: number): { index: number; term: number } {
    let candidate = Math.min(index, this.lastIndex);
    for (; candidate >= this.snapshot.index; candidate--) {
      const candidateTerm = this.termAt(candidate)!;
      if (candidateTerm <= term) return { index: candidate, term: candidateTerm };
    }
    return { index: this.snapshot.index, term: 0 };
  }
}
