/**
 * The log start offset set by DeleteRecords, which may lie inside a segment (so the segments'
 * base offsets alone cannot say it): kept in `<partition dir>/log-start-offset`, replaced
 * durably (write, fsync, rename) before the deletion is acknowledged, read back on open. As
 * Kafka's log-start-offset-checkpoint: without it a restart would resurrect deleted records.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { replaceFileDurably } from '../../files/durable.js';

const CHECKPOINT_FILE = 'log-start-offset';

export async function readLogStartCheckpoint(dir: string): Promise<number> {
  try {
    const value = Number((await readFile(join(dir, CHECKPOINT_FILE), 'utf8')).trim());
    return Number.isSafeInteger(value) && value >= 0 ? value : 0;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

export function writeLogStartCheckpoint(dir: string, offset: number): Promise<void> {
  return replaceFileDurably(join(dir, CHECKPOINT_FILE), `${offset}\n`);
}
