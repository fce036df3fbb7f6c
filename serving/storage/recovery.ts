/**
 * Opening a store directory: settle an interrupted merge, load every data file into the key
 * directory — from its hint file when that is present and valid, else by scanning the data file
 * and cutting a torn or corrupt tail — and pick the active file to append to.
 *
 * After a crash only the active file can have a torn tail (every other file was fsynced before
 * its hint was written), but any file without a valid hint is scanned and cut the same way, and
 * gets its hint written so the next open is fast. The newest file is appended to again if it has
 * room and only newer records than all others (see canStayActive); its hint, about to go stale,
 * is deleted first.
 */
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { fsyncDirectory } from '../../core/files/durable.js';
import { DataFile, dataFileName, hintFileName, parseDataFileName, TEMPORARY_SUFFIX } from './data-file.js';
import { encodeHintEntry, readHintFile, writeHintFile, type LocatedRecord } from './hint-file.js';
import { KeyDirectoryBuilder, type KeyDirectory } from './key-directory.js';
import { settleInterruptedMerge, type InterruptedMergeOutcome } from './merge-commit.js';
import { scanDataFile } from './scan.js';

export interface TruncatedFile {
  fileId: number;
  fromSizeBytes: number;
  toSizeBytes: number;
  reason: string;
}

/** What opening the store found and did. */
export interface RecoveryReport {
  /** Files loaded from their hint files. */
  hintedFileIds: number[];
  /** Files loaded by reading every record. */
  scannedFileIds: number[];
  /** Files cut at a torn or corrupt record. */
  truncatedFiles: TruncatedFile[];
  interruptedMerge: InterruptedMergeOutcome;
}

export interface RecoveredStore {
  files: Map<number, DataFile>;
  active: DataFile;
  /** Hint entries of the records already in the active file. */
  activeHints: Buffer[];
  directory: KeyDirectory;
  lastSeq: number;
  nextFileId: number;
  report: RecoveryReport;
}

export interface RecoveryOptions {
  maxFileBytes: number;
  nowMs: number;
  logger: Logger;
}

export async function recoverStore(dir: string, options: RecoveryOptions): Promise<RecoveredStore> {
  await mkdir(dir, { recursive: true });
  const interruptedMerge = await settleInterruptedMerge(dir);
  const fileIds = await listDataFiles(dir);
  const report: RecoveryReport = { hintedFileIds: [], scannedFileIds: [], truncatedFiles: [], interruptedMerge };
  const builder = new KeyDirectoryBuilder();
  const files = new Map<number, DataFile>();
  let activeHints: Buffer[] = [];
  try {
    for (const fileId of fileIds) {
      const newest = fileId === fileIds.at(-1);
      const { file, records } = await loadFile(dir, fileId, report, options.logger);
      files.set(fileId, file);
      for (const record of records) {
        builder.add(fileId, record);
        file.noteRecord(record.seq);
      }
      if (newest) activeHints = records.map(encodeHintEntry);
    }
    let active = files.get(fileIds.at(-1) ?? -1);
    if (active !== undefined && canStayActive(active, files, options.maxFileBytes)) {
      await rm(join(dir, hintFileName(active.id)), { force: true });
    } else {
      activeHints = [];
      const fileId = (fileIds.at(-1) ?? 0) + 1;
      active = await DataFile.create(join(dir, dataFileName(fileId)), fileId);
      files.set(active.id, active);
    }
    await fsyncDirectory(dir);
    if (interruptedMerge !== 'none' || report.truncatedFiles.length > 0) options.logger.warn({ dir, ...report }, 'key-value store recovered');
    return { files, active, activeHints, directory: builder.build(options.nowMs), lastSeq: builder.maxSeq, nextFileId: active.id + 1, report };
  } catch (error) {
    await Promise.all([...files.values()].map((file) => file.close()));
    throw error;
  }
}

/**
 * Whether the newest file can take appends again: it must have room, and hold only records newer
 * than every other file's. The newest file may be a merge output holding old records; appending to
 * it would let a later merge, which takes every file but the active one, drop a tombstone while
 * the put it hides lives on in the active file.
 */
function canStayActive(newest: DataFile, files: Map<number, DataFile>, maxFileBytes: number): boolean {
  if (newest.sizeBytes >= maxFileBytes) return false;
  for (const file of files.values()) if (file !== newest && file.maxSeq >= newest.minSeq) return false;
  return true;
}

/** Data file ids in ascending order, after removing half-written temporaries and orphan hints. */
async function listDataFiles(dir: string): Promise<number[]> {
  const names = await readdir(dir);
  const fileIds = names.flatMap((name) => parseDataFileName(name) ?? []).sort((a, b) => a - b);
  const hintNames = new Set(fileIds.map(hintFileName));
  for (const name of names) {
    const orphanHint = name.endsWith('.hint') && !hintNames.has(name);
    if (name.endsWith(TEMPORARY_SUFFIX) || orphanHint) await rm(join(dir, name), { force: true });
  }
  return fileIds;
}

async function loadFile(dir: string, fileId: number, report: RecoveryReport, logger: Logger): Promise<{ file: DataFile; records: LocatedRecord[] }> {
  const hintPath = join(dir, hintFileName(fileId));
  const file = await DataFile.open(dir, fileId);
  const hint = await readHintFile(hintPath, file.sizeBytes);
  if (hint?.ok) {
    report.hintedFileIds.push(fileId);
    return { file, records: hint.value };
  }
  if (hint !== undefined) logger.warn({ dir, fileId, reason: hint.reason }, 'ignoring an invalid hint file; scanning the data file');
  report.scannedFileIds.push(fileId);
  const records: LocatedRecord[] = [];
  const scan = await scanDataFile(file, (record) => records.push(record));
  if (scan.corruption !== undefined) {
    report.truncatedFiles.push({ fileId, fromSizeBytes: file.sizeBytes, toSizeBytes: scan.validEndPosition, reason: scan.corruption });
    await file.truncate(scan.validEndPosition);
  }
  // Even for the newest file: it may not stay active (then its hint is deleted again).
  await installHintFileIfRoom(dir, fileId, records.map(encodeHintEntry), file.sizeBytes, logger);
  return { file, records };
}

/** A hint only speeds up the next start: on a full disk the store opens without it (and reads,
 * and refuses writes) rather than not at all. */
async function installHintFileIfRoom(dir: string, fileId: number, entries: Buffer[], dataSizeBytes: number, logger: Logger): Promise<void> {
  try {
    await installHintFile(dir, fileId, entries, dataSizeBytes);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOSPC' && code !== 'EDQUOT') throw error;
    await rm(join(dir, hintFileName(fileId) + TEMPORARY_SUFFIX), { force: true });
    logger.warn({ dir, fileId, code }, 'no room for the hint file of a scanned data file; the next start scans it again');
  }
}

/** Writes `<id>.hint` aside and renames it into place, so a reader never sees half a hint. */
export async function installHintFile(dir: string, fileId: number, entries: Buffer[], dataSizeBytes: number): Promise<void> {
  const path = join(dir, hintFileName(fileId));
  await writeHintFile(path + TEMPORARY_SUFFIX, entries, dataSizeBytes);
  await rename(path + TEMPORARY_SUFFIX, path);
}
