/** File-system steps every durable store needs: fsync of a directory (after a create, rename or
 * delete in it) and a positioned write that does not stop at a short write. */
import { open, type FileHandle } from 'node:fs/promises';

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
