/**
 * The leader epoch cache of one partition (Kafka's LeaderEpochFileCache): for every leader epoch
 * that wrote to the log, the offset of its first batch. Followers use it to find where their log
 * diverges from the leader's (OffsetForLeaderEpoch, KIP-101/KIP-279) instead of trusting the
 * high watermark, which loses acknowledged data on some leader changes.
 *
 * Persisted as `leader-epoch-checkpoint` in the partition directory, in Kafka's text format:
 *
 *   0          version
 *   2          number of entries
 *   0 0        epoch startOffset
 *   3 1200
 *
 * Guarantees:
 * - Entries grow strictly in both epoch and start offset (asserted after every change).
 * - The file is never half-written: a change goes to a temp file, is fsynced, renamed over the
 *   checkpoint and the directory fsynced. Memory changes only once the file is durable, so a
 *   failed write leaves both as they were.
 * - Changes must not overlap (PartitionLog makes them from its serial queue); an overlapping
 *   change throws LogMisuseError rather than racing on the temp file.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFileDurably } from '../../files/durable.js';
import { LogMisuseError } from './errors.js';

export const LEADER_EPOCH_CHECKPOINT_FILE = 'leader-epoch-checkpoint';
const TEMP_SUFFIX = '.tmp';
const CHECKPOINT_VERSION = 0;
/** Kafka's OffsetsForLeaderEpochResponse.UNDEFINED_EPOCH and UNDEFINED_EPOCH_OFFSET. */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;
/** Epochs are int32 on the wire and in batch headers. */
const MAX_EPOCH = 0x7fff_ffff;

export interface EpochEntry {
  readonly epoch: number;
  readonly startOffset: number;
}

export interface EpochEndOffset {
  /** The largest known epoch <= the requested one (see endOffsetFor), or UNDEFINED_EPOCH. */
  epoch: number;
  /** The first offset after that epoch's data, or UNDEFINED_EPOCH_OFFSET. */
  endOffset: number;
}

/** What readers outside the log may see of the cache. */
export interface ReadonlyLeaderEpochCache {
  /** The newest epoch with an entry; UNDEFINED_EPOCH (-1) when there is none. */
  readonly latestEpoch: number;
  entries(): EpochEntry[];
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset;
}

export class LeaderEpochCache implements ReadonlyLeaderEpochCache {
  private writing = false;

  private constructor(
    readonly dir: string,
    private epochs: readonly EpochEntry[],
    /** False when the checkpoint was missing or malformed: the caller should rebuild from the log. */
    readonly loadedFromCheckpoint: boolean,
  ) {}

  /** Reads the checkpoint of `dir`; empty (loadedFromCheckpoint false) if it is missing or malformed. */
  static async load(dir: string): Promise<LeaderEpochCache> {
    // A temp file is a write that never reached its rename: the checkpoint it meant to replace is intact.
    await rm(join(dir, LEADER_EPOCH_CHECKPOINT_FILE + TEMP_SUFFIX), { force: true });
    const text = await readIfExists(join(dir, LEADER_EPOCH_CHECKPOINT_FILE));
    const entries = text === undefined ? undefined : parseCheckpoint(text);
    return new LeaderEpochCache(dir, entries ?? [], entries !== undefined);
  }

  get latestEpoch(): number {
    return this.epochs.at(-1)?.epoch ?? UNDEFINED_EPOCH;
  }

  entries(): EpochEntry[] {
    return [...this.epochs];
  }

  /**
   * Records that `epoch` started writing at `startOffset`, as Kafka's assign: ignored for a
   * negative epoch (batches written without one) and when it changes nothing — the latest epoch
   * again at or after its known start. Otherwise the newest information wins: entries that
   * contradict it (an epoch >= `epoch`, or a start >= `startOffset`) describe data that is no
   * longer in the log and are removed first. Returns whether the cache changed.
   */
  assign(epoch: number, startOffset: number): Promise<boolean> {
    return this.assignAll([{ epoch, startOffset }]);
  }

  /** assign() for each entry in order, with one checkpoint write at the end. */
  async assignAll(entries: Iterable<EpochEntry>): Promise<boolean> {
    let next = this.epochs;
    for (const entry of entries) next = withAssigned(next, entry);
    return this.commit(next);
  }

  /**
   * Replaces every entry by `entries` (epoch starts found by scanning the log) and writes the
   * checkpoint even if that changes nothing, so the next open need not scan again.
   */
  async rebuild(entries: Iterable<EpochEntry>): Promise<void> {
    let next: readonly EpochEntry[] = [];
    for (const entry of entries) next = withAssigned(next, entry);
    await this.write(next);
  }

  /**
   * Answers OffsetForLeaderEpoch exactly as Kafka's LeaderEpochFileCache.endOffsetFor:
   * - UNDEFINED_EPOCH asked, or no epoch above the requested one known (so nothing is cached,
   *   or the request is from the future): {UNDEFINED_EPOCH, UNDEFINED_EPOCH_OFFSET}.
   * - The latest epoch: {that epoch, logEndOffset} — it is still being written.
   * - Otherwise the largest epoch <= requested, ending where the next higher epoch starts.
   *   Below the first entry (older epochs removed by retention) Kafka answers the requested
   *   epoch itself with the first entry's start, so the follower truncates to the log start.
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset {
    const undefinedAnswer = { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    if (requestedEpoch === UNDEFINED_EPOCH) return undefinedAnswer;
    if (this.epochs.length > 0 && requestedEpoch === this.latestEpoch) return { epoch: requestedEpoch, endOffset: logEndOffset };
    const higherIndex = this.epochs.findIndex((entry) => entry.epoch > requestedEpoch);
    const higher = this.epochs[higherIndex];
    if (higher === undefined) return undefinedAnswer;
    const floor = this.epochs[higherIndex - 1];
    return { epoch: floor?.epoch ?? requestedEpoch, endOffset: higher.startOffset };
  }

  /** Removes the entries starting at or after `endOffset` (the log was truncated there). */
  async truncateFromEnd(endOffset: number): Promise<boolean> {
    checkOffset(endOffset, 'endOffset');
    return this.commit(this.epochs.filter((entry) => entry.startOffset < endOffset));
  }

  /**
   * The log now starts at `startOffset`: drops the entries wholly before it and moves the start
   * of the epoch holding it up to `startOffset` (Kafka's truncateFromStart: an entry starting
   * exactly there is kept as is).
   */
  async truncateFromStart(startOffset: number): Promise<boolean> {
    checkOffset(startOffset, 'startOffset');
    const firstKept = this.epochs.findLastIndex((entry) => entry.startOffset <= startOffset);
    if (firstKept < 0) return false;
    const clamped = { epoch: this.epochs[firstKept]!.epoch, startOffset };
    return this.commit([clamped, ...this.epochs.slice(firstKept + 1)]);
  }

  /** Writes `next` if it differs from the current entries; returns whether it did. */
  private async commit(next: readonly EpochEntry[]): Promise<boolean> {
    if (next === this.epochs || sameEntries(next, this.epochs)) return false;
    await this.write(next);
    return true;
  }

  /** Makes `next` durable, then current: temp file, fsync, rename, fsync of the directory. */
  private async write(next: readonly EpochEntry[]): Promise<void> {
    checkMonotonic(next);
    if (this.writing) throw new LogMisuseError('overlapping leader epoch checkpoint writes', { dir: this.dir });
    this.writing = true;
    try {
      const path = join(this.dir, LEADER_EPOCH_CHECKPOINT_FILE);
      await replaceFileDurably(path, formatCheckpoint(next), path + TEMP_SUFFIX);
      this.epochs = next;
    } finally {
      this.writing = false;
    }
  }
}

/** Kafka's assign on an immutable list: see LeaderEpochCache.assign. */
function withAssigned(epochs: readonly EpochEntry[], entry: EpochEntry): readonly EpochEntry[] {
  checkOffset(entry.startOffset, 'startOffset');
  if (!Number.isInteger(entry.epoch) || entry.epoch > MAX_EPOCH) throw new LogMisuseError('leader epoch must be an int32', { epoch: entry.epoch });
  if (entry.epoch < 0) return epochs;
  const latest = epochs.at(-1);
  if (latest !== undefined && latest.epoch === entry.epoch && latest.startOffset <= entry.startOffset) return epochs;
  let keep = epochs.length;
  while (keep > 0 && (epochs[keep - 1]!.epoch >= entry.epoch || epochs[keep - 1]!.startOffset >= entry.startOffset)) keep--;
  return [...epochs.slice(0, keep), { epoch: entry.epoch, startOffset: entry.startOffset }];
}

function checkOffset(offset: number, name: string): void {
  if (!Number.isSafeInteger(offset) || offset < 0) throw new LogMisuseError(`${name} must be a non-negative integer`, { [name]: offset });
}

/** Invariant: epochs and start offsets both grow strictly. */
function checkMonotonic(epochs: readonly EpochEntry[]): void {
  if (!isMonotonic(epochs)) throw new LogMisuseError('leader epoch entries must grow in epoch and start offset', { entries: epochs });
}

function isMonotonic(epochs: readonly EpochEntry[]): boolean {
  return epochs.every((entry, i) => i === 0 || (entry.epoch > epochs[i - 1]!.epoch && entry.startOffset > epochs[i - 1]!.startOffset));
}

function sameEntries(a: readonly EpochEntry[], b: readonly EpochEntry[]): boolean {
  return a.length === b.length && a.every((entry, i) => entry.epoch === b[i]!.epoch && entry.startOffset === b[i]!.startOffset);
}

function formatCheckpoint(epochs: readonly EpochEntry[]): string {
  return [String(CHECKPOINT_VERSION), String(epochs.length), ...epochs.map((entry) => `${entry.epoch} ${entry.startOffset}`)].join('\n') + '\n';
}

/** The entries of a checkpoint's text, or undefined if it is not a well-formed, monotonic one. */
export function parseCheckpoint(text: string): EpochEntry[] | undefined {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const [version, count, ...rest] = lines;
  if (version !== String(CHECKPOINT_VERSION) || count === undefined || !/^\d+$/.test(count) || Number(count) !== rest.length) return undefined;
  const entries: EpochEntry[] = [];
  for (const line of rest) {
    const match = /^(\d+) (\d+)$/.exec(line);
    if (match === null) return undefined;
    const entry = { epoch: Number(match[1]), startOffset: Number(match[2]) };
    if (entry.epoch > MAX_EPOCH || !Number.isSafeInteger(entry.startOffset)) return undefined;
    entries.push(entry);
  }
  return isMonotonic(entries) ? entries : undefined;
}

async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
