/**
 * One data file of the store, `<10-digit id>.data`: records appended back to back, read with
 * positioned reads. Only the active file is ever appended to; every other file is immutable
 * until a merge replaces it. A file counts its in-flight reads so that a merge or close that
 * retires it closes the handle only once those reads are done (unlinking an open file is fine on
 * POSIX, closing it under a read is not).
 */
import { open, rename, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFully } from '../../core/files/durable.js';
import { FILE_ID_DIGITS } from './limits.js';

const DATA_FILE = /^(\d{10})\.data$/;

/** Suffix of files a merge is still writing; they become live only once the merge commits. */
export const MERGING_SUFFIX = '.merging';
/** Suffix of a file being written before its atomic rename into place. */
export const TEMPORARY_SUFFIX = '.tmp';

export function dataFileName(fileId: number): string {
  return `${String(fileId).padStart(FILE_ID_DIGITS, '0')}.data`;
}

export function hintFileName(fileId: number): string {
  return `${String(fileId).padStart(FILE_ID_DIGITS, '0')}.hint`;
}

export function parseDataFileName(name: string): number | undefined {
  const match = DATA_FILE.exec(name);
  return match ? Number(match[1]) : undefined;
}

export class DataFile {
  /** Smallest and largest sequence number in the file (Infinity and 0 while it is empty). */
  minSeq = Number.POSITIVE_INFINITY;
  maxSeq = 0;
  private readers = 0;
  private whenIdle: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    readonly id: number,
    public path: string,
    private readonly handle: FileHandle,
    public sizeBytes: number,
  ) {}

  /** A new, empty file at `path` (which must not exist); the caller fsyncs the directory. */
  static async create(path: string, id: number): Promise<DataFile> {
    return new DataFile(id, path, await open(path, 'wx+'), 0);
  }

  /** An existing file, opened read-write: recovery may cut its tail, and the newest may stay active. */
  static async open(dir: string, id: number): Promise<DataFile> {
    const path = join(dir, dataFileName(id));
    const handle = await open(path, 'r+');
    return new DataFile(id, path, handle, (await handle.stat()).size);
  }

  noteRecord(seq: number): void {
    this.minSeq = Math.min(this.minSeq, seq);
    this.maxSeq = Math.max(this.maxSeq, seq);
  }

  /** Reads [position, position + length), fewer bytes only at the end of the file. */
  async read(position: number, length: number): Promise<Buffer> {
    this.readers++;
    try {
      const bytes = Buffer.allocUnsafe(length);
      let read = 0;
      while (read < length) {
        const { bytesRead } = await this.handle.read(bytes, read, length - read, position + read);
        if (bytesRead === 0) break;
        read += bytesRead;
      }
      return read === length ? bytes : bytes.subarray(0, read);
    } finally {
      this.readers--;
      if (this.readers === 0) this.whenIdle?.();
    }
  }

  /** Appends the pieces of one record at the end of the file; returns where it starts. On failure
   * nothing of them stays in the file. */
  async append(pieces: Buffer[]): Promise<number> {
    const position = this.sizeBytes;
    const total = pieces.reduce((sum, piece) => sum + piece.length, 0);
    try {
      const { bytesWritten } = await this.handle.writev(pieces, position);
      // writev may stop short like write(2); finish the rest piece by piece.
      if (bytesWritten < total) await writeFully(this.handle, Buffer.concat(pieces).subarray(bytesWritten), position + bytesWritten);
    } catch (error) {
      // A short write (disk full) left part of the records here: cut it off, so the file holds
      // whole records only and the next append starts where this one did. A failed cut throws
      // its own error instead, which the store treats as fatal.
      await this.handle.truncate(position);
      throw error;
    }
    this.sizeBytes = position + total;
    return position;
  }

  async datasync(): Promise<void> {
    await this.handle.datasync();
  }

  /** Cuts a torn tail off (recovery only) and makes the cut durable. */
  async truncate(sizeBytes: number): Promise<void> {
    await this.handle.truncate(sizeBytes);
    await this.handle.datasync();
    this.sizeBytes = sizeBytes;
  }

  /** Renames the file on disk; the open handle stays valid. */
  async moveTo(path: string): Promise<void> {
    await rename(this.path, path);
    this.path = path;
  }

  /** Closes the handle once in-flight reads are done; later calls return the same promise. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      if (this.readers > 0) await new Promise<void>((resolve) => (this.whenIdle = resolve));
      await this.handle.close();
    })();
    return this.closing;
  }
}
