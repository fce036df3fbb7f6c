/**
 * Small files that must survive a crash whole: checkpoints and offset stores. A write goes to a
 * temporary file beside the target, is fsynced, renamed over the target (atomic on POSIX), and
 * the directory is fsynced so the rename itself is durable. A reader therefore sees the old
 * content or the new, never a torn mix — a crash mid-write leaves at most a stray temp file.
 */
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { replaceFileDurably } from '../core/files/durable.js';
import { SpoutError } from './errors.js';

let temporarySequence = 0;

export async function writeFileAtomically(path: string, content: string): Promise<void> {
  temporarySequence += 1;
  // A temp name per write: tasks of one process may checkpoint different files in one directory.
  await replaceFileDurably(path, content, join(dirname(path), `.${basename(path)}.${process.pid}.${temporarySequence}.tmp`));
}

/** The parsed JSON content of `path`, or undefined when it does not exist. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new SpoutError('CHECKPOINT_CORRUPT', `${path} is not valid JSON; it was not written by a spout, or by hand — delete it to start over`, { cause: error });
  }
}
