/**
 * The key-value store of one serving node, after Bitcask (Sheehy & Smith, Basho 2010): records
 * appended to numbered data files, an in-memory key directory pointing at the newest record of
 * each key, hint files for fast start, and merges that rewrite live records and drop dead ones.
 *
 * Guarantees:
 * - put/delete resolve after the record is written; under fsync 'always' after it is fdatasync'ed
 *   too, so a crash (kill -9, power loss) loses nothing acknowledged. Under 'interval' a power
 *   loss may lose the last interval; a process crash loses nothing under any policy.
 * - get reads one record with one positioned read and checks its CRC; a corrupt record throws
 *   CorruptRecordError, it is never returned as a value.
 * - Writes (put, delete, flush, roll, the merge's snapshot and swap) run one at a time in call
 *   order; reads run alongside and see every write that has resolved.
 * - A full disk fails the write with StoreFullError and keeps nothing of it; reads go on, and
 *   writes resume once space is freed. Any other write or fsync error stops writes for good.
 * - Expired keys are invisible at once and reclaimed by the next merge.
 * - One process per directory: two stores on one directory corrupt each other.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { fsyncDirectory } from '../../core/files/durable.js';
import { silentLogger } from '../../core/telemetry/logger.js';
import { DataFile, dataFileName } from './data-file.js';
import { CorruptRecordError, KeyTooLargeError, MergeInProgressError, StorageMisuseError, StoreClosedError, StoreFailedError, StoreFullError, ValueTooLargeError, type StorageError } from './errors.js';
import { encodeHintEntry } from './hint-file.js';
import { ValueCache } from './value-cache.js';
import { isExpired, keyIdOf, keyOfId, valueSizeOf, type KeyDirectory, type KeyDirectoryEntry } from './key-directory.js';
import { DEFAULT_FSYNC_INTERVAL_MS, DEFAULT_MAX_FILE_BYTES, MAX_FILE_ID, MAX_KEY_BYTES, MAX_VALUE_BYTES, DEFAULT_VALUE_CACHE_BYTES } from './limits.js';
import { merge, type MergeHost, type MergeOptions, type MergeResult } from './merge.js';
import { encodeRecordHeader, keyOf, recordSizeBytes, valueOf, verifyRecord, type RecordFields } from './record.js';
import { installHintFile, recoverStore, type RecoveryReport } from './recovery.js';

/** When writes reach the disk: before each put resolves, every fsyncIntervalMs, or when the OS likes. */
export type FsyncPolicy = 'always' | 'interval' | 'never';

/** Timers for the 'interval' policy (tests inject a manual one). */
export interface IntervalScheduler {
  setInterval(callback: () => void, intervalMs: number): unknown;
  clearInterval(handle: unknown): void;
}

export interface BitcaskOptions {
  /** Roll to a new data file past this size (default DEFAULT_MAX_FILE_BYTES, 1 GiB). */
  maxFileBytes?: number;
  /** Default 'interval', Redis's appendfsync everysec. */
  fsync?: FsyncPolicy;
  /** Under 'interval' (default DEFAULT_FSYNC_INTERVAL_MS, 1 s). */
  fsyncIntervalMs?: number;
  /** Under 'interval' (default: Node's timers, unref'ed so they never keep a process alive). */
  scheduler?: IntervalScheduler;
  /** Largest key accepted (default and upper bound MAX_KEY_BYTES, 64 KiB). */
  maxKeyBytes?: number;
  /** Largest value accepted (default and upper bound MAX_VALUE_BYTES, 512 MiB). */
  maxValueBytes?: number;
  /** Memory for recently written and read values (default DEFAULT_VALUE_CACHE_BYTES, 64 MiB; 0: none). */
  valueCacheBytes?: number;
  /** Clock in ms for timestamps and expiry (tests inject one). */
  now?: () => number;
  logger?: Logger;
}

type ResolvedOptions = Required<BitcaskOptions>;

export interface PutOptions {
  /** Absolute expiry in ms since the epoch; the key reads as absent from then on. */
  expiresAtMs?: number;
}

export interface StoredValue {
  value: Buffer;
  writtenAtMs: number;
  expiresAtMs: number | undefined;
}

export interface KeyMetadata {
  valueSizeBytes: number;
  writtenAtMs: number;
  expiresAtMs: number | undefined;
}

const NODE_TIMERS: IntervalScheduler = {
  setInterval: (callback, intervalMs) => setInterval(callback, intervalMs).unref(),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
};

function resolveOptions(options: BitcaskOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    maxFileBytes: options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
    fsync: options.fsync ?? 'interval',
    fsyncIntervalMs: options.fsyncIntervalMs ?? DEFAULT_FSYNC_INTERVAL_MS,
    scheduler: options.scheduler ?? NODE_TIMERS,
    maxKeyBytes: options.maxKeyBytes ?? MAX_KEY_BYTES,
    maxValueBytes: options.maxValueBytes ?? MAX_VALUE_BYTES,
    valueCacheBytes: options.valueCacheBytes ?? DEFAULT_VALUE_CACHE_BYTES,
    now: options.now ?? Date.now,
    logger: options.logger ?? silentLogger(),
  };
  const checks: [boolean, string, number | string][] = [
    [Number.isSafeInteger(resolved.maxFileBytes) && resolved.maxFileBytes > 0, 'maxFileBytes must be a positive integer', resolved.maxFileBytes],
    [['always', 'interval', 'never'].includes(resolved.fsync), "fsync must be 'always', 'interval' or 'never'", resolved.fsync],
    [resolved.fsyncIntervalMs > 0, 'fsyncIntervalMs must be positive', resolved.fsyncIntervalMs],
    [resolved.maxKeyBytes >= 0 && resolved.maxKeyBytes <= MAX_KEY_BYTES, `maxKeyBytes must be within [0, ${MAX_KEY_BYTES}]`, resolved.maxKeyBytes],
    [resolved.maxValueBytes >= 0 && resolved.maxValueBytes <= MAX_VALUE_BYTES, `maxValueBytes must be within [0, ${MAX_VALUE_BYTES}]`, resolved.maxValueBytes],
    [Number.isSafeInteger(resolved.valueCacheBytes) && resolved.valueCacheBytes >= 0, 'valueCacheBytes must be a non-negative integer', resolved.valueCacheBytes],
  ];
  for (const [ok, reason, value] of checks) if (!ok) throw new StorageMisuseError(reason, { value });
  return resolved;
}

/** Most puts written by one writev: three pieces each stay under IOV_MAX (1024). */
const MAX_PUTS_PER_BATCH = 256;

interface QueuedPut {
  key: Buffer;
  value: Buffer;
  expiresAtMs: number | undefined;
}

interface PutBatch {
  puts: QueuedPut[];
  /** The first `stored` puts are stored (and, under fsync 'always', synced); the rest failed with `error`. */
  done: Promise<BatchOutcome>;
}

interface BatchOutcome {
  stored: number;
  error?: StorageError;
}

export class BitcaskStore {
  private queue: Promise<unknown> = Promise.resolve();
  /** Puts still joining the batch queued last (see put()). */
  private openBatch: PutBatch | undefined;
  private closing = false;
  private closed: Promise<void> | undefined;
  /** Set by the first failed write or fsync: writes stop (see StoreFailedError). */
  private failure: unknown;
  private merging: Promise<MergeResult> | undefined;
  private unsynced = 0;
  private readonly timer: unknown;
  private readonly cache: ValueCache;

  private constructor(
    readonly dir: string,
    private readonly options: ResolvedOptions,
    private readonly files: Map<number, DataFile>,
    private active: DataFile,
    private activeHints: Buffer[],
    private readonly directory: KeyDirectory,
    private lastSeq: number,
    private nextFileId: number,
    /** What opening found: hints used, files scanned, tails cut, an interrupted merge settled. */
    readonly recovery: RecoveryReport,
  ) {
    this.cache = new ValueCache(options.valueCacheBytes);
    if (options.fsync === 'interval') this.timer = options.scheduler.setInterval(() => this.flushInBackground(), options.fsyncIntervalMs);
  }

  /** Opens (creating if needed) the store in `dir`, recovering from a crash if there was one. */
  static async open(dir: string, options: BitcaskOptions = {}): Promise<BitcaskStore> {
    const resolved = resolveOptions(options);
    const state = await recoverStore(dir, { maxFileBytes: resolved.maxFileBytes, nowMs: resolved.now(), logger: resolved.logger });
    return new BitcaskStore(dir, resolved, state.files, state.active, state.activeHints, state.directory, state.lastSeq, state.nextFileId, state.report);
  }

  /** Keys in the key directory, counting expired keys until a merge reclaims them (as Redis's
   * DBSIZE counts keys it has not evicted yet); keys() has the exact live set. */
  get size(): number {
    return this.directory.size;
  }

  /** Ids of the data files in ascending order. Not the order of their records: merge outputs get
   * fresh ids above the active file's. */
  get fileIds(): number[] {
    return [...this.files.keys()].sort((a, b) => a - b);
  }

  /** The data file that writes go to. */
  get activeFileId(): number {
    return this.active.id;
  }

  /** Writes not yet fsynced: always 0 under 'always'. */
  get unsyncedWrites(): number {
    return this.unsynced;
  }

  has(key: Buffer): boolean {
    return this.liveEntry(key) !== undefined;
  }

  /** Size, write time and expiry of a live key without reading its value. */
  metadata(key: Buffer): KeyMetadata | undefined {
    const entry = this.liveEntry(key);
    return entry && { valueSizeBytes: valueSizeOf(entry, key), writtenAtMs: entry.writtenAtMs, expiresAtMs: entry.expiresAtMs };
  }

  async get(key: Buffer): Promise<Buffer | undefined> {
    return (await this.getEntry(key))?.value;
  }

  /** The value with its write time and expiry. */
  async getEntry(key: Buffer): Promise<StoredValue | undefined> {
    const entry = this.liveEntry(key);
    if (entry === undefined) return undefined;
    const keyId = keyIdOf(key);
    const cached = this.cache.get(keyId, entry);
    if (cached !== undefined) return cached;
    // Synchronously after the lookup: a merge cannot retire the file in between.
    const record = await this.files.get(entry.fileId)!.read(entry.position, entry.recordSizeBytes);
    const checked = verifyRecord(record);
    if (!checked.ok) throw new CorruptRecordError(entry.fileId, entry.position, checked.reason);
    if (checked.value.tombstone || !keyOf(record, checked.value).equals(key)) throw new CorruptRecordError(entry.fileId, entry.position, 'record does not hold this key');
    const stored = { value: valueOf(record, checked.value), writtenAtMs: checked.value.writtenAtMs, expiresAtMs: checked.value.expiresAtMs };
    // Only if the entry is still the live one: a write may have replaced it during the read.
    if (this.directory.get(keyId) === entry) this.cache.set(keyId, entry, stored);
    return stored;
  }

  /** A snapshot of the live keys, in no particular order. */
  keys(): Buffer[] {
    this.checkOpen();
    const nowMs = this.options.now();
    const keys: Buffer[] = [];
    for (const [keyId, entry] of this.directory) if (!isExpired(entry, nowMs)) keys.push(keyOfId(keyId));
    return keys;
  }

  /** Scans the live keys and values: the keys of a snapshot, each value read when reached (keys
   * deleted meanwhile are skipped). */
  async *entries(): AsyncGenerator<[Buffer, Buffer]> {
    for (const key of this.keys()) {
      const value = await this.get(key);
      if (value !== undefined) yield [key, value];
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<[Buffer, Buffer]> {
    return this.entries();
  }

  /**
   * Stores `value` under `key`. Puts made while an earlier operation is being written join one
   * batch, written with one writev (and, under fsync 'always', one fdatasync): group commit.
   * A batch closes when any other operation is queued, so operations keep their call order.
   */
  async put(key: Buffer, value: Buffer, options: PutOptions = {}): Promise<void> {
    this.checkWritable();
    if (key.length > this.options.maxKeyBytes) throw new KeyTooLargeError(key.length, this.options.maxKeyBytes);
    if (value.length > this.options.maxValueBytes) throw new ValueTooLargeError(value.length, this.options.maxValueBytes);
    const { expiresAtMs } = options;
    if (expiresAtMs !== undefined && !(Number.isSafeInteger(expiresAtMs) && expiresAtMs > 0)) throw new StorageMisuseError('expiresAtMs must be a positive integer', { expiresAtMs });
    let batch = this.openBatch;
    if (batch === undefined || batch.puts.length >= MAX_PUTS_PER_BATCH) {
      const fresh: PutBatch = { puts: [], done: Promise.resolve({ stored: 0 }) };
      fresh.done = this.enqueue(async () => {
        if (this.openBatch === fresh) this.openBatch = undefined;
        return this.appendBatch(fresh.puts);
      });
      // enqueue() closed any earlier batch; this one takes puts until the next operation.
      this.openBatch = fresh;
      batch = fresh;
    }
    const index = batch.puts.push({ key, value, expiresAtMs }) - 1;
    const { stored, error } = await batch.done;
    // A batch torn by a full disk: the puts written before the tear are stored, and say so.
    if (index >= stored) throw error;
  }

  /** Deletes a key with a tombstone; resolves to whether a live key was deleted. */
  async delete(key: Buffer): Promise<boolean> {
    this.checkWritable();
    return this.enqueue(async () => {
      const keyId = keyIdOf(key);
      const entry = this.directory.get(keyId);
      if (entry === undefined) return false;
      // An expired key is already invisible and stays so: its record is its newest one.
      const live = !isExpired(entry, this.options.now());
      if (live) await this.append(key, Buffer.alloc(0), true, undefined);
      this.directory.delete(keyId);
      this.cache.delete(keyId);
      return live;
    });
  }

  /** fsyncs every write made so far (what the 'interval' timer runs). */
  async flush(): Promise<void> {
    this.checkWritable();
    await this.enqueue(() => this.syncActive());
  }

  /** Rewrites the live records of all files but the active one and deletes those files; see merge.ts. */
  async merge(options: MergeOptions = {}): Promise<MergeResult> {
    this.checkWritable();
    if (this.merging !== undefined) throw new MergeInProgressError(this.dir);
    this.merging = merge(this.mergeHost(), options);
    try {
      return await this.merging;
    } finally {
      this.merging = undefined;
    }
  }

  /** Waits for a running merge and queued writes, fsyncs, writes the active file's hint, closes. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      this.closing = true;
      if (this.timer !== undefined) this.options.scheduler.clearInterval(this.timer);
      await this.merging?.catch(() => undefined);
      await this.queue;
      try {
        if (this.failure === undefined) {
          await this.active.datasync();
          await installHintFile(this.dir, this.active.id, this.activeHints, this.active.sizeBytes);
        }
      } finally {
        await Promise.all([...this.files.values()].map((file) => file.close()));
      }
    })();
    return this.closed;
  }

  /** Appends one record to the active file (rolling first if it is full); returns its entry. */
  private async append(key: Buffer, value: Buffer, tombstone: boolean, expiresAtMs: number | undefined): Promise<KeyDirectoryEntry> {
    try {
      const sizeBytes = recordSizeBytes(key.length, value.length);
      if (this.active.sizeBytes > 0 && this.active.sizeBytes + sizeBytes > this.options.maxFileBytes) await this.roll();
      const fields: RecordFields = { tombstone, keySizeBytes: key.length, valueSizeBytes: value.length, seq: this.lastSeq + 1, writtenAtMs: this.options.now(), expiresAtMs };
      const position = await this.active.append([encodeRecordHeader(fields, key, value), key, value]);
      this.lastSeq = fields.seq;
      this.active.noteRecord(fields.seq);
      this.activeHints.push(encodeHintEntry({ ...fields, key, position, recordSizeBytes: sizeBytes }));
      this.unsynced++;
      if (this.options.fsync === 'always') await this.syncActive();
      return { fileId: this.active.id, position, recordSizeBytes: sizeBytes, seq: fields.seq, writtenAtMs: fields.writtenAtMs, expiresAtMs };
    } catch (error) {
      throw this.writeFailed(error);
    }
  }

  /** Writes a batch of puts: records back to back in as few writevs as file rolls allow. Never
   * rejects: a failure is the outcome's error, for the puts after the last one stored. */
  private async appendBatch(puts: readonly QueuedPut[]): Promise<BatchOutcome> {
    let written = 0;
    try {
      let pieces: Buffer[] = [];
      let pending: { fields: RecordFields; key: Buffer; value: Buffer; offset: number; sizeBytes: number }[] = [];
      let batchBytes = 0;
      const write = async () => {
        if (pieces.length === 0) return;
        const start = await this.active.append(pieces);
        for (const { fields, key, value, offset, sizeBytes } of pending) {
          const position = start + offset;
          this.lastSeq = fields.seq;
          this.active.noteRecord(fields.seq);
          this.activeHints.push(encodeHintEntry({ ...fields, key, position, recordSizeBytes: sizeBytes }));
          const keyId = keyIdOf(key);
          const entry: KeyDirectoryEntry = { fileId: this.active.id, position, recordSizeBytes: sizeBytes, seq: fields.seq, writtenAtMs: fields.writtenAtMs, expiresAtMs: fields.expiresAtMs };
          this.directory.set(keyId, entry);
          // A copy: the caller keeps its buffer and may reuse it.
          this.cache.set(keyId, entry, { value: Buffer.from(value), writtenAtMs: fields.writtenAtMs, expiresAtMs: fields.expiresAtMs });
          this.unsynced++;
        }
        written += pending.length;
        pieces = [];
        pending = [];
        batchBytes = 0;
      };
      let seq = this.lastSeq;
      for (const { key, value, expiresAtMs } of puts) {
        const sizeBytes = recordSizeBytes(key.length, value.length);
        if (this.active.sizeBytes + batchBytes > 0 && this.active.sizeBytes + batchBytes + sizeBytes > this.options.maxFileBytes) {
          await write();
          await this.roll();
        }
        const fields: RecordFields = { tombstone: false, keySizeBytes: key.length, valueSizeBytes: value.length, seq: ++seq, writtenAtMs: this.options.now(), expiresAtMs };
        pieces.push(encodeRecordHeader(fields, key, value), key, value);
        pending.push({ fields, key, value, offset: batchBytes, sizeBytes });
        batchBytes += sizeBytes;
      }
      await write();
      if (this.options.fsync === 'always') await this.syncActive();
      return { stored: puts.length };
    } catch (error) {
      const failure = this.writeFailed(error);
      // Puts written before a full disk tore the batch (a roll in between) are in the key
      // directory: once synced, they are stored like any other.
      const stored = failure instanceof StoreFullError && (await this.syncActive().then(() => true, () => false)) ? written : 0;
      return { stored, error: failure };
    }
  }

  /**
   * What a failed append or roll throws. A full disk (ENOSPC, EDQUOT, from a write, never from an
   * fsync: syncActive has set `failure` then) refused bytes that never became dirty pages, and
   * DataFile.append cut the partial record off: writes may go on once space is freed. Anything
   * else stops writes for good (see StoreFailedError).
   */
  private writeFailed(error: unknown): StorageError {
    if (error instanceof StoreFailedError) return error;
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    if (this.failure === undefined && (code === 'ENOSPC' || code === 'EDQUOT')) return new StoreFullError(this.dir, error as NodeJS.ErrnoException);
    this.failure ??= error;
    return new StoreFailedError(this.dir, error);
  }

  /** Closes the active file — fsynced before its hint, so a hint never describes lost data — and
   * starts the next one. */
  private async roll(): Promise<void> {
    await this.syncActive();
    await installHintFile(this.dir, this.active.id, this.activeHints, this.active.sizeBytes);
    const fileId = this.allocateFileId();
    const next = await DataFile.create(join(this.dir, dataFileName(fileId)), fileId);
    await fsyncDirectory(this.dir);
    this.files.set(next.id, next);
    this.active = next;
    this.activeHints = [];
  }

  private async syncActive(): Promise<void> {
    if (this.unsynced === 0) return;
    try {
      await this.active.datasync();
    } catch (error) {
      this.failure ??= error;
      throw new StoreFailedError(this.dir, error);
    }
    this.unsynced = 0;
  }

  private flushInBackground(): void {
    if (this.closing || this.failure !== undefined || this.unsynced === 0) return;
    this.flush().catch((error: unknown) => this.options.logger.error({ dir: this.dir, err: error }, 'periodic fsync failed; the store stopped accepting writes'));
  }

  private allocateFileId(): number {
    const fileId = this.nextFileId++;
    if (fileId > MAX_FILE_ID) throw new StorageMisuseError('out of data file ids', { fileId, max: MAX_FILE_ID });
    return fileId;
  }

  private liveEntry(key: Buffer): KeyDirectoryEntry | undefined {
    this.checkOpen();
    const entry = this.directory.get(keyIdOf(key));
    return entry === undefined || isExpired(entry, this.options.now()) ? undefined : entry;
  }

  private mergeHost(): MergeHost {
    return {
      dir: this.dir,
      maxFileBytes: this.options.maxFileBytes,
      directory: this.directory,
      now: () => this.options.now(),
      exclusive: (operation) => this.enqueue(operation),
      immutableFiles: () => [...this.files.values()].filter((file) => file !== this.active).sort((a, b) => a.id - b.id),
      activeFile: () => this.active,
      file: (fileId) => this.files.get(fileId),
      allocateFileId: () => this.allocateFileId(),
      swapFiles: (outputs, replaced) => {
        for (const output of outputs) this.files.set(output.id, output);
        for (const file of replaced) this.files.delete(file.id);
      },
      fail: (error) => (this.failure ??= error),
    };
  }

  private checkOpen(): void {
    if (this.closing) throw new StoreClosedError(this.dir);
  }

  private checkWritable(): void {
    this.checkOpen();
    if (this.failure !== undefined) throw new StoreFailedError(this.dir, this.failure);
  }

  /** Runs `operation` after every write queued before it; refuses once a write has failed. */
  private enqueue<T>(operation: () => Promise<T>): Promise<T> {
    this.openBatch = undefined;
    const run = this.queue.then(() => {
      if (this.failure !== undefined) throw new StoreFailedError(this.dir, this.failure);
      return operation();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }
}
