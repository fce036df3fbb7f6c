/**
 * Crash-safe replacement of a closed segment's log file by its cleaned version (Kafka's
 * .cleaned/.swap protocol):
 *
 *   1. the cleaned batches are written to `<base>.log.cleaned` and fsynced;
 *   2. it is renamed to `<base>.log.swap` and the directory fsynced — the commit point;
 *   3. the segment's index files are removed (they describe the old file; the new segment's
 *      indexes are rebuilt from its log when it is opened);
 *   4. `<base>.log.swap` is renamed over `<base>.log` (atomic) and the directory fsynced.
 *
 * Recovery (recoverInterruptedSwaps, before a log is opened): a `.cleaned` file is an unfinished
 * cleaning and is deleted (the old segment is intact); a `.swap` file is a committed one and the
 * swap is finished (steps 3-4). Either way the log is the old segment or the cleaned one, never
 * a mix, and a cleaned segment holds the same offsets' latest records as the old one did.
 */
import { open, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory, writeFully } from '../../../files/durable.js';
import { segmentFileName } from '../segment.js';

const CLEANED_SUFFIX = '.cleaned';
const SWAP_SUFFIX = '.swap';
const CLEANED_FILE = /^(\d{20})\.log\.cleaned$/;
const SWAP_FILE = /^(\d{20})\.log\.swap$/;

export function cleanedLogPath(dir: string, baseOffset: number): string {
  return join(dir, segmentFileName(baseOffset, '.log') + CLEANED_SUFFIX);
}

function swapLogPath(dir: string, baseOffset: number): string {
  return join(dir, segmentFileName(baseOffset, '.log') + SWAP_SUFFIX);
}

/** Step 1: writes `batches` (back to back) as the cleaned file of the segment at `baseOffset`, fsynced. */
export async function writeCleanedLog(dir: string, baseOffset: number, batches: readonly Buffer[]): Promise<string> {
  const path = cleanedLogPath(dir, baseOffset);
  const handle = await open(path, 'w');
  try {
    let position = 0;
    for (const batch of batches) {
      await writeFully(handle, batch, position);
      position += batch.length;
    }
    await handle.datasync();
  } finally {
    await handle.close();
  }
  return path;
}

/** Step 2, the commit point: from here on, recovery finishes the swap. */
export async function commitCleanedLog(dir: string, baseOffset: number): Promise<void> {
  await rename(cleanedLogPath(dir, baseOffset), swapLogPath(dir, baseOffset));
  await fsyncDirectory(dir);
}

/** Steps 3-4: the committed cleaned file takes the segment's place. The segment must be closed. */
export async function finishSwap(dir: string, baseOffset: number): Promise<void> {
  await rm(join(dir, segmentFileName(baseOffset, '.index')), { force: true });
  await rm(join(dir, segmentFileName(baseOffset, '.timeindex')), { force: true });
  await rename(swapLogPath(dir, baseOffset), join(dir, segmentFileName(baseOffset, '.log')));
  await fsyncDirectory(dir);
}

/** Drops an uncommitted cleaning (a cleaning abandoned because the log changed under it). */
export async function discardCleanedLog(dir: string, baseOffset: number): Promise<void> {
  await rm(cleanedLogPath(dir, baseOffset), { force: true });
}

/** Before opening a log: discards unfinished cleanings, finishes committed swaps. Returns what it did. */
export async function recoverInterruptedSwaps(dir: string): Promise<{ discarded: number[]; finished: number[] }> {
  const discarded: number[] = [];
  const finished: number[] = [];
  for (const name of await readdir(dir)) {
    const cleaned = CLEANED_FILE.exec(name);
    if (cleaned !== null) {
      await rm(join(dir, name), { force: true });
      discarded.push(Number(cleaned[1]));
      continue;
    }
    const swap = SWAP_FILE.exec(name);
    if (swap !== null) {
      await finishSwap(dir, Number(swap[1]));
      finished.push(Number(swap[1]));
    }
  }
  if (discarded.length > 0) await fsyncDirectory(dir);
  return { discarded, finished };
}
