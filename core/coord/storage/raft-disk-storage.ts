/**
 * Durable storage for one Raft node: the log in append-only segment files, hard state and
 * snapshot in atomically replaced files. persist() resolves only after everything it wrote is
 * fsynced (fdatasync for segments, fsync + directory fsync for renames), so an entry whose
 * persist() resolved survives kill -9 and power loss.
 *
 * Write order within persist(): snapshot, then log, then hard state, because the hard state's
 * commit index may refer to entries of the same Ready. Truncating a conflicting suffix first
 * deletes later segments (and fsyncs the directory) before cutting and rewriting the segment
 * holding the conflict, so no crash can leave old entries after new ones.
 */
import { mkdir, open, readdir, unlink, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeHardState, decodeSnapshot, encodeEntry, encodeHardState, encodeSnapshot } from '../raft/codec.js';
import type { Entry, HardState, Ready, RestoredState, Snapshot } from '../raft/types.js';
import { fsyncDirectory, readFileAtomic, writeFileAtomic } from './atomic-file.js';
import { StorageClosedError, StorageMisuseError } from './errors.js';
import { DEFAULT_SEGMENT_BYTES } from './limits.js';
import { frameRecord } from './records.js';
import { lastIndexOf, recoverSegments, segmentPath, type Segment } from './segments.js';

const HARD_STATE_FILE = 'hardstate';
const SNAPSHOT_FILE = 'snapshot';

export interface RaftDiskStorageOptions {
  /** Roll to a new segment file past this size (default 64 MiB). */
  segmentBytes?: number;
}

export class RaftDiskStorage {
  private active: FileHandle | undefined;
  private closed = false;
  /** persist() and compact() run one at a time, in call order. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Term and vote as last written to the hard-state file (-1: nothing written yet). */
  private durableTerm = -1;
  private durableVote = -1;

  private constructor(
    readonly dir: string,
    private readonly segmentBytes: number,
    private segments: Segment[],
    private snapshotIndex: number,
  ) {}

  static async open(dir: string, options: RaftDiskStorageOptions = {}): Promise<{ storage: RaftDiskStorage; restored: RestoredState | undefined }> {
    await mkdir(dir, { recursive: true });
    for (const name of await readdir(dir)) if (name.endsWith('.tmp')) await unlink(join(dir, name));
    const hardStateBytes = await readFileAtomic(dir, HARD_STATE_FILE);
    const snapshotBytes = await readFileAtomic(dir, SNAPSHOT_FILE);
    const snapshot = snapshotBytes === undefined ? undefined : decodeSnapshot(snapshotBytes);
    let { segments, entries } = await recoverSegments(dir);
    if (!logContinuesSnapshot(entries, snapshot)) {
      // The log was being replaced by this snapshot when the process died: drop it.
      for (const segment of segments) await unlink(segment.path);
      await fsyncDirectory(dir);
      segments = [];
      entries = [];
    }
    const storage = new RaftDiskStorage(dir, options.segmentBytes ?? DEFAULT_SEGMENT_BYTES, segments, snapshot?.index ?? 0);
    if (hardStateBytes === undefined && snapshot === undefined && entries.length === 0) return { storage, restored: undefined };
    const kept = entries.filter((entry) => entry.index > (snapshot?.index ?? 0));
    const stored = hardStateBytes === undefined ? undefined : decodeHardState(hardStateBytes);
    storage.durableTerm = stored?.term ?? -1;
    storage.durableVote = stored?.votedFor ?? -1;
    const hardState = reconcileHardState(stored, kept, snapshot);
    return { storage, restored: { hardState, snapshot, entries: kept } };
  }

  persist(ready: Pick<Ready, 'hardState' | 'entries' | 'snapshot'>): Promise<void> {
    return this.enqueue(async () => {
      if (ready.snapshot !== undefined) await this.replaceBySnapshot(ready.snapshot);
      if (ready.entries.length > 0) await this.appendEntries(ready.entries);
      // Raft needs only term and vote to be durable (Figure 2); the commit index is re-learned
      // from the leader after a restart. Rewriting the file (rename + two fsyncs) whenever commit
      // moved would double the fsyncs of every write, so commit is stored only alongside them.
      if (ready.hardState !== undefined && (ready.hardState.term !== this.durableTerm || ready.hardState.votedFor !== this.durableVote)) {
        await writeFileAtomic(this.dir, HARD_STATE_FILE, encodeHardState(ready.hardState));
        this.durableTerm = ready.hardState.term;
        this.durableVote = ready.hardState.votedFor;
      }
    });
  }

  /** Stores `snapshot` durably, then deletes the segments it makes redundant (never the active one). */
  compact(snapshot: Snapshot): Promise<void> {
    return this.enqueue(async () => {
      if (snapshot.index <= this.snapshotIndex) return;
      await writeFileAtomic(this.dir, SNAPSHOT_FILE, encodeSnapshot(snapshot));
      this.snapshotIndex = snapshot.index;
      const redundant = this.segments.slice(0, -1).filter((segment) => lastIndexOf(segment) <= snapshot.index);
      for (const segment of redundant) await unlink(segment.path);
      this.segments = this.segments.filter((segment) => !redundant.includes(segment));
      if (redundant.length > 0) await fsyncDirectory(this.dir);
    });
  }

  close(): Promise<void> {
    return this.enqueue(async () => {
      this.closed = true;
      await this.active?.close();
      this.active = undefined;
    });
  }

  private enqueue(operation: () => Promise<void>): Promise<void> {
    const run = this.queue.then(() => {
      if (this.closed) throw new StorageClosedError(this.dir);
      return operation();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private get lastIndex(): number {
    const last = this.segments.at(-1);
    return last === undefined ? this.snapshotIndex : lastIndexOf(last);
  }

  /** A leader's snapshot replaces the whole log: store it first, only then drop the old log. */
  private async replaceBySnapshot(snapshot: Snapshot): Promise<void> {
    await writeFileAtomic(this.dir, SNAPSHOT_FILE, encodeSnapshot(snapshot));
    await this.dropSegments(this.segments);
    this.snapshotIndex = snapshot.index;
  }

  private async dropSegments(doomed: Segment[]): Promise<void> {
    if (doomed.length === 0) return;
    if (doomed.includes(this.segments.at(-1)!)) await this.closeActive();
    for (const segment of doomed) await unlink(segment.path);
    this.segments = this.segments.filter((segment) => !doomed.includes(segment));
    await fsyncDirectory(this.dir);
  }

  private async closeActive(): Promise<void> {
    await this.active?.close();
    this.active = undefined;
  }

  private async appendEntries(entries: Entry[]): Promise<void> {
    const first = entries[0]!.index;
    entries.forEach((entry, offset) => {
      if (entry.index !== first + offset) throw new StorageMisuseError('entries must be contiguous', { first, offset, index: entry.index });
    });
    if (first <= this.lastIndex) await this.truncateFrom(first);
    if (first !== this.lastIndex + 1) throw new StorageMisuseError('entries must continue the log', { first, lastIndex: this.lastIndex });
    const touched = new Set<FileHandle>();
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    for (const entry of entries) {
      const record = frameRecord(encodeEntry(entry));
      const segment = this.segments.at(-1);
      if (segment === undefined || (segment.offsets.length > 0 && segment.sizeBytes + pendingBytes + record.length > this.segmentBytes)) {
        await this.flush(pending, touched);
        pending = [];
        pendingBytes = 0;
        await this.rollTo(entry.index);
      }
      const active = this.segments.at(-1)!;
      active.offsets.push(active.sizeBytes + pendingBytes);
      pending.push(record);
      pendingBytes += record.length;
    }
    await this.flush(pending, touched);
    for (const handle of touched) if (handle === this.active) await handle.datasync();
  }

  /** Writes buffered records at the end of the active segment. */
  private async flush(records: Buffer[], touched: Set<FileHandle>): Promise<void> {
    if (records.length === 0) return;
    const segment = this.segments.at(-1)!;
    const handle = await this.activeHandle();
    const bytes = Buffer.concat(records);
    await handle.write(bytes, 0, bytes.length, segment.sizeBytes);
    segment.sizeBytes += bytes.length;
    // Handles rolled away from are synced by rollTo() before closing; the active one at the end.
    touched.add(handle);
  }

  private async rollTo(firstIndex: number): Promise<void> {
    if (this.active !== undefined) {
      await this.active.datasync();
      await this.closeActive();
    }
    const path = segmentPath(this.dir, firstIndex);
    this.active = await open(path, 'w+');
    this.segments.push({ path, firstIndex, offsets: [], sizeBytes: 0 });
    await fsyncDirectory(this.dir);
  }

  private async activeHandle(): Promise<FileHandle> {
    this.active ??= await open(this.segments.at(-1)!.path, 'r+');
    return this.active;
  }

  /** Removes entries >= `index`: later segments first (durably), then cuts the one holding it. */
  private async truncateFrom(index: number): Promise<void> {
    if (index <= this.snapshotIndex) throw new StorageMisuseError('cannot truncate into the snapshot', { index, snapshotIndex: this.snapshotIndex });
    await this.dropSegments(this.segments.filter((segment) => segment.firstIndex >= index));
    const segment = this.segments.at(-1);
    if (segment === undefined || lastIndexOf(segment) < index) return;
    const keep = index - segment.firstIndex;
    segment.sizeBytes = segment.offsets[keep]!;
    segment.offsets.length = keep;
    const handle = await this.activeHandle();
    await handle.truncate(segment.sizeBytes);
    await handle.datasync();
  }
}

/** Entries recovered after a snapshot are usable only if they continue it: the log holds the
 * snapshot's index with its term, or starts right after it, or ends before it. */
function logContinuesSnapshot(entries: Entry[], snapshot: Snapshot | undefined): boolean {
  if (snapshot === undefined || entries.length === 0) return true;
  const first = entries[0]!.index;
  const last = entries.at(-1)!.index;
  if (last < snapshot.index) return true;
  if (first === snapshot.index + 1) return true;
  if (first > snapshot.index + 1) return false;
  return entries[snapshot.index - first]!.term === snapshot.term;
}

/** A crash between writing entries and the hard state can leave entries of a term the hard state
 * has not reached; raising the term (with no vote) is always safe, lowering never happens.
 * The commit index is a hint and never points past the recovered log. */
function reconcileHardState(stored: HardState | undefined, entries: Entry[], snapshot: Snapshot | undefined): HardState {
  const hardState = stored ?? { term: 0, votedFor: 0, commit: 0 };
  const lastTerm = Math.max(entries.at(-1)?.term ?? 0, snapshot?.term ?? 0);
  const reconciled = lastTerm > hardState.term ? { term: lastTerm, votedFor: 0, commit: hardState.commit } : { ...hardState };
  reconciled.commit = Math.max(reconciled.commit, snapshot?.index ?? 0);
  // A disk that lost fsynced entries (outside Raft's model) can leave commit past the log's end;
  // the leader re-sends them (see docs/coord.md), so start from what is really here.
  const lastIndex = entries.at(-1)?.index ?? snapshot?.index ?? 0;
  reconciled.commit = Math.min(reconciled.commit, Math.max(lastIndex, snapshot?.index ?? 0));
  return reconciled;
}

