/**
 * Small files replaced atomically (hard state, snapshot): write `<name>.tmp`, fsync it, rename
 * over `<name>`, fsync the directory. A crash leaves either the old or the new file, never a mix;
 * a leftover `.tmp` is ignored and removed on open.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectory, replaceFileDurably } from '../../files/durable.js';
import { StorageCorruptError } from './errors.js';
import { MAX_STATE_FILE_BYTES } from './limits.js';
import { frameRecord, readRecord } from './records.js';

export { fsyncDirectory };

export async function writeFileAtomic(dir: string, name: string, payload: Uint8Array): Promise<void> {
  await replaceFileDurably(join(dir, name), frameRecord(payload));
}

/** The payload of an atomically written file, or undefined if it does not exist. */
export async function readFileAtomic(dir: string, name: string): Promise<Buffer | undefined> {
  const path = join(dir, name);
  let contents: Buffer;
  try {
    contents = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const payload = readRecord(contents, 0, MAX_STATE_FILE_BYTES);
  if (payload === undefined || payload.length + 8 !== contents.length) throw new StorageCorruptError(path, 'checksum or length mismatch');
  return payload;
}
