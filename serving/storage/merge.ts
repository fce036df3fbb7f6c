/**
 * Merge (compaction): rewrites the live records of every immutable data file into new files with
 * hints, swaps them in atomically (see merge-commit.ts) and deletes the old files. Writes keep
 * flowing to the active file meanwhile; only taking the snapshot and the swap hold the write queue.
 *
 * What is live: a record the key directory points at, unexpired. Records are copied byte for byte
 * (same sequence number, same CRC), so a copy and its original are interchangeable.
 *
 * Why tombstones can be dropped: the merge takes *all* files but the active one, and every record
 * outside that set (the active file, files rolled during the merge) is newer than every record in
 * it — an invariant checked here, and kept by opening (which never appends to a file holding
 * records older than another file's, such as a merge output). A tombstone in the set only ever hides puts that are also in the set, and those are dropped
 * with it; the commit makes the set disappear all at once. (A merge of a subset of files would
 * have to keep a tombstone while any unmerged older file could still hold the key.)
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory } from '../../core/files/durable.js';
import { DataFile, dataFileName } from './data-file.js';
import { CorruptRecordError, InvariantViolationError } from './errors.js';
import { encodeHintEntry, writeHintFile, type LocatedRecord } from './hint-file.js';
import { isExpired, keyOfId, type KeyDirectory, type KeyDirectoryEntry } from './key-directory.js';
import { installOutputHint, mergingDataPath, mergingHintPath, removeMergeCommit, removeReplacedFile, writeMergeCommit } from './merge-commit.js';
import { keyOf, verifyRecord } from './record.js';

/** Moments of a merge at which the tests copy the directory, as a crash there would leave it. */
export type MergeStep = 'outputs-written' | 'committed' | 'output-installed' | 'replaced-file-removed' | 'finished';

export interface MergeOptions {
  /** Called at each step with the files on disk in that step's state (tests only). */
  onStep?: (step: MergeStep) => void | Promise<void>;
}

export interface MergeResult {
  replacedFileIds: number[];
  outputFileIds: number[];
  /** Records copied into the outputs. */
  liveRecords: number;
  /** Bytes of data files freed: replaced minus written. */
  reclaimedBytes: number;
}

/** What a merge needs from the store. */
export interface MergeHost {
  readonly dir: string;
  readonly maxFileBytes: number;
  readonly directory: KeyDirectory;
  now(): number;
  /** Runs `operation` in the write queue. */
  exclusive<T>(operation: () => Promise<T>): Promise<T>;
  /** Every data file but the active one; called in the write queue. */
  immutableFiles(): DataFile[];
  activeFile(): DataFile;
  file(fileId: number): DataFile | undefined;
  allocateFileId(): number;
  /** Makes `outputs` readable and forgets `replaced`; called in the write queue. */
  swapFiles(outputs: DataFile[], replaced: DataFile[]): void;
  /** The store cannot continue (a failure after the commit point): writes stop until reopened. */
  fail(error: unknown): void;
}

/** A live record's move: `to` undefined drops it (it expired). */
interface Relocation {
  keyId: string;
  from: KeyDirectoryEntry;
  to: KeyDirectoryEntry | undefined;
}

export async function merge(host: MergeHost, options: MergeOptions = {}): Promise<MergeResult> {
  const onStep = options.onStep ?? (() => undefined);
  const replaced = await host.exclusive(async () => snapshotReplacedFiles(host));
  if (replaced.length === 0) return { replacedFileIds: [], outputFileIds: [], liveRecords: 0, reclaimedBytes: 0 };
  const writer = new MergeWriter(host);
  let relocations: Relocation[];
  try {
    relocations = await copyLiveRecords(host, new Set(replaced.map((file) => file.id)), writer);
    await writer.finish();
    await onStep('outputs-written');
  } catch (error) {
    await writer.discard();
    throw error;
  }
  await host.exclusive(async () => {
    try {
      await fsyncDirectory(host.dir);
    } catch (error) {
      await writer.discard();
      throw error;
    }
    await swap(host, replaced, writer.outputs, relocations, onStep);
  });
  const writtenBytes = writer.outputs.reduce((sum, file) => sum + file.sizeBytes, 0);
  return {
    replacedFileIds: replaced.map((file) => file.id),
    outputFileIds: writer.outputs.map((file) => file.id),
    liveRecords: relocations.filter((relocation) => relocation.to !== undefined).length,
    reclaimedBytes: replaced.reduce((sum, file) => sum + file.sizeBytes, 0) - writtenBytes,
  };
}

/** The files to merge: all but the active one, which must hold only newer records (see above). */
function snapshotReplacedFiles(host: MergeHost): DataFile[] {
  const replaced = host.immutableFiles();
  const active = host.activeFile();
  const newestReplacedSeq = replaced.reduce((newest, file) => Math.max(newest, file.maxSeq), 0);
  if (newestReplacedSeq >= active.minSeq) {
    throw new InvariantViolationError('the active file holds records older than the files to merge', { activeFileId: active.id, activeMinSeq: active.minSeq, newestReplacedSeq });
  }
  return replaced;
}

async function copyLiveRecords(host: MergeHost, replacedIds: Set<number>, writer: MergeWriter): Promise<Relocation[]> {
  const relocations: Relocation[] = [];
  const nowMs = host.now();
  // Iterating the live map is safe across awaits: entries set meanwhile point at newer files.
  for (const [keyId, entry] of host.directory) {
    if (!replacedIds.has(entry.fileId)) continue;
    if (isExpired(entry, nowMs)) {
      relocations.push({ keyId, from: entry, to: undefined });
      continue;
    }
    const record = await host.file(entry.fileId)!.read(entry.position, entry.recordSizeBytes);
    const checked = verifyRecord(record);
    if (!checked.ok) throw new CorruptRecordError(entry.fileId, entry.position, `${checked.reason} (merge stopped; nothing changed)`);
    if (!keyOf(record, checked.value).equals(keyOfId(keyId))) throw new CorruptRecordError(entry.fileId, entry.position, 'record holds another key (merge stopped; nothing changed)');
    const to = await writer.append(record, { ...checked.value, key: keyOfId(keyId) });
    relocations.push({ keyId, from: entry, to: { ...entry, ...to } });
  }
  return relocations;
}

/** Commits the merge, then installs the outputs and deletes the replaced files; runs in the write queue. */
async function swap(host: MergeHost, replaced: DataFile[], outputs: DataFile[], relocations: Relocation[], onStep: (step: MergeStep) => void | Promise<void>): Promise<void> {
  try {
    await writeMergeCommit(host.dir, { outputFileIds: outputs.map((file) => file.id), replacedFileIds: replaced.map((file) => file.id) });
    await onStep('committed');
    for (const output of outputs) {
      await installOutputHint(host.dir, output.id);
      await output.moveTo(join(host.dir, dataFileName(output.id)));
      await onStep('output-installed');
    }
    await fsyncDirectory(host.dir);
    host.swapFiles(outputs, replaced);
    relocate(host.directory, relocations, new Set(replaced.map((file) => file.id)));
    // Oldest first; with the commit file in place the order does not matter for correctness.
    for (const file of replaced) {
      await removeReplacedFile(host.dir, file.id);
      await onStep('replaced-file-removed');
    }
    await fsyncDirectory(host.dir);
    await removeMergeCommit(host.dir);
    await onStep('finished');
    await Promise.all(replaced.map((file) => file.close()));
  } catch (error) {
    // The commit file may or may not be on disk now, and memory may lag it: reopening decides.
    host.fail(error);
    throw error;
  }
}

/** Points the key directory at the copies of records that are still current; a key written or
 * deleted during the merge has another entry object by now and keeps it. */
function relocate(directory: KeyDirectory, relocations: Relocation[], replacedIds: Set<number>): void {
  for (const { keyId, from, to } of relocations) {
    if (directory.get(keyId) !== from) continue;
    if (to === undefined) directory.delete(keyId);
    else directory.set(keyId, to);
  }
  for (const [keyId, entry] of directory) {
    if (replacedIds.has(entry.fileId)) throw new InvariantViolationError('key directory points into a replaced file after a merge', { keyId, fileId: entry.fileId });
  }
}

/** Writes merge outputs as `.merging` files, rolling at the store's file size limit. */
class MergeWriter {
  readonly outputs: DataFile[] = [];
  private readonly hints: Buffer[][] = [];

  constructor(private readonly host: MergeHost) {}

  async append(record: Buffer, located: Omit<LocatedRecord, 'position'>): Promise<{ fileId: number; position: number }> {
    let output = this.outputs.at(-1);
    if (output === undefined || (output.sizeBytes > 0 && output.sizeBytes + record.length > this.host.maxFileBytes)) {
      const fileId = this.host.allocateFileId();
      output = await DataFile.create(mergingDataPath(this.host.dir, fileId), fileId);
      this.outputs.push(output);
      this.hints.push([]);
    }
    const position = await output.append([record]);
    output.noteRecord(located.seq);
    this.hints.at(-1)!.push(encodeHintEntry({ ...located, position }));
    return { fileId: output.id, position };
  }

  /** Makes every output and its hint durable (still under their `.merging` names). */
  async finish(): Promise<void> {
    for (const [i, output] of this.outputs.entries()) {
      await output.datasync();
      await writeHintFile(mergingHintPath(this.host.dir, output.id), this.hints[i]!, output.sizeBytes);
    }
  }

  /** Abandons the merge before its commit: closes and deletes the outputs. */
  async discard(): Promise<void> {
    for (const output of this.outputs) {
      await output.close();
      await rm(output.path, { force: true });
      await rm(mergingHintPath(this.host.dir, output.id), { force: true });
    }
  }
}
