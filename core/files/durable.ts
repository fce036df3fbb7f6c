/** File-system steps every durable store needs: fsync of a directory (after a create, rename or
 * delete in it), a positioned write that does not stop at a short write, and the atomic replace
 * of a small file (checkpoints, hard state, offsets). */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';

export async function fsyncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeFully(handle: FileHandle, buffer: Buffer, position: number): Promise<void> {
  for (let written = 0; written < buffer.length; ) {
    const { bytesWritten } = await handle.write(buffer, written, buffer.length - written, position + written);
    written += bytesWritten;
  }
}

/**
 * Replaces `path` with `content` so that a crash leaves the old file or the new one, never a mix:
 * write `temporaryPath` (default `<path>.tmp`), fsync it, rename it over `path` (atomic on POSIX),
 * fsync the directory so the rename itself survives. A failed write removes the temporary file.
 * Two writers of one path must not overlap (they would share the temporary file).
 */
export async function replaceFileDurably(path: string, content: string | Uint8Array, temporaryPath = `${path}.tmp`): Promise<void> {
  try {
    const handle = await open(temporaryPath, 'w');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporaryPath, path);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    throw error;
  }
  await fsyncDirectory(dirname(path));
}
