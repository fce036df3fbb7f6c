/**
 * A service's data directory on a disk that can be made full on demand: a small tmpfs mounted on
 * the directory (the tests run as root), filled up with a ballast file and freed by deleting it.
 * A tmpfs gives a real ENOSPC from write(2) — a short write, then the error — which is what a
 * full disk does to a service; a size-limited ordinary file could not be a data directory.
 *
 * Mounting is refused without root (or CAP_SYS_ADMIN): then mount() throws, saying so, and the
 * test fails rather than skips, since a skipped disk-full test would hide a broken service.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, open, rm, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { mulberry32 } from '../../../core/random/mulberry32.js';

/** The file that takes up the space; services never name a file like this. */
const BALLAST_FILE = 'disk-full-ballast';
/** Ballast is written in chunks of this size until the disk refuses more. */
const BALLAST_CHUNK_BYTES = 64 * 1024;
/** tmpfs allocates whole pages: free space comes and goes in these units. */
export const PAGE_BYTES = 4096;

export class SmallDiskError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SmallDiskError';
  }
}

export class SmallDisk {
  private mounted = true;

  private constructor(
    readonly dir: string,
    readonly sizeBytes: number,
  ) {}

  /** Mounts a tmpfs of `sizeBytes` (a whole number of KiB) on `dir`, creating the directory. */
  static async mount(dir: string, sizeBytes: number): Promise<SmallDisk> {
    if (!(Number.isSafeInteger(sizeBytes) && sizeBytes > 0 && sizeBytes % 1024 === 0)) throw new SmallDiskError(`a small disk needs a positive whole number of KiB, not ${sizeBytes} bytes`);
    await mkdir(dir, { recursive: true });
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeBytes / 1024}k`, 'tmpfs', dir], { encoding: 'utf8' });
    if (mount.error !== undefined || mount.status !== 0) {
      throw new SmallDiskError(`cannot mount a ${sizeBytes / 1024} KiB tmpfs on ${dir} (${mount.error?.message ?? mount.stderr.trim()}); disk-full tests need root or CAP_SYS_ADMIN — run them as root (CI does), they do not skip`);
    }
    return new SmallDisk(dir, sizeBytes);
  }

  /** Bytes still free for files on the disk. */
  async freeBytes(): Promise<number> {
    const stats = await statfs(this.dir);
    return stats.bavail * stats.bsize;
  }

  /**
   * Writes ballast until the disk refuses more (ENOSPC), then gives back `leaveFreeBytes`
   * (rounded up to pages), so that writes succeed for a little while and then fail mid-run.
   */
  async fill(leaveFreeBytes = 0): Promise<void> {
    const handle = await open(join(this.dir, BALLAST_FILE), 'a');
    try {
      const chunk = Buffer.alloc(BALLAST_CHUNK_BYTES, 0xba);
      let sizeBytes = (await handle.stat()).size;
      for (;;) {
        try {
          const { bytesWritten } = await handle.write(chunk, 0, chunk.length, sizeBytes);
          sizeBytes += bytesWritten;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOSPC') break;
          throw error;
        }
      }
      const giveBackBytes = Math.ceil(leaveFreeBytes / PAGE_BYTES) * PAGE_BYTES;
      await handle.truncate(Math.max(0, sizeBytes - giveBackBytes));
    } finally {
      await handle.close();
    }
  }

  /** Deletes the ballast: the space is free again. */
  async free(): Promise<void> {
    await rm(join(this.dir, BALLAST_FILE), { force: true });
  }

  /** Unmounts (lazily, so a process still holding files open cannot block it); the files go. */
  async unmount(): Promise<void> {
    if (!this.mounted) return;
    const result = spawnSync('umount', ['-l', this.dir], { encoding: 'utf8' });
    if (result.error !== undefined || result.status !== 0) throw new SmallDiskError(`cannot unmount ${this.dir}: ${result.error?.message ?? result.stderr.trim()}`);
    this.mounted = false;
  }
}

/** How much free space a seeded run leaves when it fills the disk: 0 to `maxPages` pages. */
export function seededLeaveFreeBytes(seed: number, maxPages: number): number {
  return Math.floor(mulberry32(seed)() * (maxPages + 1)) * PAGE_BYTES;
}
