/**
 * The commit point of a merge, and what opening the store does about an interrupted one.
 *
 * A merge writes its outputs as `<id>.data.merging` / `<id>.hint.merging`, fsyncs them, then
 * atomically creates `MERGE-COMMIT` (written aside, fsynced, renamed, directory fsynced) naming
 * the outputs and the files they replace. Only then are outputs renamed into place and replaced
 * files deleted. So after a crash at any step, opening the store finds either
 * - no commit file: the merge never happened; `.merging` files are deleted (roll back), or
 * - a commit file: the merge happened; opening finishes the renames and deletions (roll forward)
 *   before reading any file, and only then removes the commit file.
 * Either way the store never sees old and new files side by side. That matters for tombstones:
 * a merge drops a tombstone together with the older puts it hides, and deleting the replaced
 * files one by one would otherwise leave a window where the puts survive without the tombstone.
 */
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory } from '../../core/files/durable.js';
import { dataFileName, hintFileName, MERGING_SUFFIX, TEMPORARY_SUFFIX } from './data-file.js';
import { CorruptMergeCommitError } from './errors.js';

export const MERGE_COMMIT_FILE = 'MERGE-COMMIT';

export interface MergeCommit {
  outputFileIds: number[];
  replacedFileIds: number[];
}

export type InterruptedMergeOutcome = 'none' | 'rolled-back' | 'rolled-forward';

export async function writeMergeCommit(dir: string, commit: MergeCommit): Promise<void> {
  const path = join(dir, MERGE_COMMIT_FILE);
  await writeFile(path + TEMPORARY_SUFFIX, JSON.stringify(commit), { flush: true });
  await rename(path + TEMPORARY_SUFFIX, path);
  await fsyncDirectory(dir);
}

export async function removeMergeCommit(dir: string): Promise<void> {
  await rm(join(dir, MERGE_COMMIT_FILE), { force: true });
  await fsyncDirectory(dir);
}

export function mergingDataPath(dir: string, fileId: number): string {
  return join(dir, dataFileName(fileId) + MERGING_SUFFIX);
}

export function mergingHintPath(dir: string, fileId: number): string {
  return join(dir, hintFileName(fileId) + MERGING_SUFFIX);
}

/** Renames an output's hint into place (the caller moves the data file itself if it holds it open). */
export async function installOutputHint(dir: string, fileId: number): Promise<void> {
  await renameIfPresent(mergingHintPath(dir, fileId), join(dir, hintFileName(fileId)));
}

/** Deletes a replaced file: data first, so a crash in between leaves an orphan hint (removed on
 * open), never a data file without its hint. */
export async function removeReplacedFile(dir: string, fileId: number): Promise<void> {
  await rm(join(dir, dataFileName(fileId)), { force: true });
  await rm(join(dir, hintFileName(fileId)), { force: true });
}

/** Run on open before any data file is read. */
export async function settleInterruptedMerge(dir: string): Promise<InterruptedMergeOutcome> {
  const commit = await readMergeCommit(dir);
  if (commit !== undefined) {
    for (const fileId of commit.outputFileIds) {
      await installOutputHint(dir, fileId);
      await renameIfPresent(mergingDataPath(dir, fileId), join(dir, dataFileName(fileId)));
    }
    for (const fileId of commit.replacedFileIds) await removeReplacedFile(dir, fileId);
    await fsyncDirectory(dir);
    await removeMergeCommit(dir);
  }
  const leftovers = (await readdir(dir)).filter((name) => name.endsWith(MERGING_SUFFIX) || name === MERGE_COMMIT_FILE + TEMPORARY_SUFFIX);
  for (const name of leftovers) await rm(join(dir, name), { force: true });
  if (commit !== undefined) return 'rolled-forward';
  return leftovers.length > 0 ? 'rolled-back' : 'none';
}

async function readMergeCommit(dir: string): Promise<MergeCommit | undefined> {
  const path = join(dir, MERGE_COMMIT_FILE);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CorruptMergeCommitError(path, String(error));
  }
  const commit = parsed as Partial<MergeCommit> | null;
  const isIdList = (ids: unknown): ids is number[] => Array.isArray(ids) && ids.every((id) => Number.isSafeInteger(id) && id >= 0);
  if (!isIdList(commit?.outputFileIds) || !isIdList(commit?.replacedFileIds)) throw new CorruptMergeCommitError(path, 'not a list of output and replaced file ids');
  return { outputFileIds: commit.outputFileIds, replacedFileIds: commit.replacedFileIds };
}

async function renameIfPresent(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (error) {
    // Already renamed before the crash.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
