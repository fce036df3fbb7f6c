/**
 * Reads lines of bytes from a file synchronously, one fixed-size chunk at a time (fs.readSync), at
 * any byte offset: the byte-level half of the text split reader. A line ends at '\n' (0x0A);
 * its bytes are returned without the '\n'. Lines within one chunk are views of the chunk (valid
 * until the next call); a line spanning chunks is copied. Memory: one chunk plus one line, and a
 * line is refused past maxLineBytes.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { LineTooLongError, SourceFileError } from './errors.js';

const NEWLINE = 0x0a;

export interface ByteLine {
  bytes: Uint8Array;
  /** File offset just past the line's '\n' (or the end of the file). */
  next: number;
}

export class ChunkedLineReader {
  private readonly fd: number;
  private readonly buffer: Buffer;
  private bufferStart = 0;
  private bufferLength = 0;

  constructor(
    readonly path: string,
    chunkBytes: number,
    private readonly maxLineBytes: number,
  ) {
    try {
      this.fd = openSync(path, 'r');
    } catch (error) {
      throw new SourceFileError('FILE_NOT_FOUND', path, error);
    }
    this.buffer = Buffer.allocUnsafe(chunkBytes);
  }

  /** The bytes of the file from `position` to the end of the current chunk; empty at the end of the file. */
  private chunkAt(position: number): Buffer {
    const inBuffer = position - this.bufferStart;
    if (inBuffer >= 0 && inBuffer < this.bufferLength) return this.buffer.subarray(inBuffer, this.bufferLength);
    this.bufferStart = position;
    this.bufferLength = readSync(this.fd, this.buffer, 0, this.buffer.length, position);
    return this.buffer.subarray(0, this.bufferLength);
  }

  /** The line starting at `lineStart`, or undefined at the end of the file. */
  readLine(lineStart: number): ByteLine | undefined {
    return this.scanLine(lineStart, true);
  }

  /** The offset just past the first '\n' at or after `from` (the end of the file if none). */
  skipPastNewline(from: number): number {
    return this.scanLine(from, false)?.next ?? from;
  }

  private scanLine(lineStart: number, keep: boolean): ByteLine | undefined {
    const pieces: Uint8Array[] = [];
    let lengthBytes = 0;
    let position = lineStart;
    for (;;) {
      const chunk = this.chunkAt(position);
      if (chunk.length === 0) {
        return position === lineStart ? undefined : { bytes: join(pieces, lengthBytes), next: position };
      }
      const newline = chunk.indexOf(NEWLINE);
      const contentEnd = newline === -1 ? chunk.length : newline;
      lengthBytes += contentEnd;
      if (lengthBytes > this.maxLineBytes) throw new LineTooLongError(this.path, lineStart, this.maxLineBytes);
      position += contentEnd;
      if (newline !== -1) {
        if (keep) pieces.push(chunk.subarray(0, contentEnd));
        return { bytes: join(pieces, lengthBytes), next: position + 1 };
      }
      // The chunk is about to be overwritten by the next read: keep a copy.
      if (keep) pieces.push(Uint8Array.prototype.slice.call(chunk));
    }
  }

  close(): void {
    closeSync(this.fd);
  }
}

function join(pieces: Uint8Array[], lengthBytes: number): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  return Buffer.concat(pieces, lengthBytes);
}
