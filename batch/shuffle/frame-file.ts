/**
 * Synchronous frame files: the one place the shuffle touches file descriptors. Shuffle work runs
 * in executor threads (worker_threads) where blocking calls cost only that thread, and synchronous
 * I/O keeps spill, merge and fetch code plain loops.
 *
 * FrameFileWriter batches appended records into frames of about FRAME_TARGET_BYTES (estimated) or
 * FRAME_MAX_RECORDS records and can copy raw byte ranges of other frame files (segments need no
 * re-encoding to be concatenated). `readFrames` yields the decoded record arrays of a byte range,
 * one frame in memory at a time, and closes its descriptor however the iteration ends. Short files
 * raise CorruptFrameError; file-system errors (ENOENT...) propagate for the caller to classify.
 */
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { CorruptFrameError, ShuffleInvariantError } from './errors.js';
import { FRAME_HEADER_BYTES, FRAME_MAX_RECORDS, FRAME_TARGET_BYTES } from './limits.js';
import { decodeFramePayload, encodeFrames, parseFrameHeader, type ShuffleRecord } from './record-frames.js';
import { estimateSizeBytes } from './size-estimate.js';

const COPY_BUFFER_BYTES = 1024 * 1024;

export class FrameFileWriter {
  private readonly fd: number;
  private writtenBytes = 0;
  private pending: ShuffleRecord[] = [];
  private pendingBytes = 0;
  private closed = false;

  constructor(
    readonly path: string,
    private readonly maxRecordBytes: number,
  ) {
    this.fd = openSync(path, 'w');
  }

  /** Bytes written so far, pending records included once flushed: call `flush()` before reading a
   * segment boundary. */
  get positionBytes(): number {
    return this.writtenBytes;
  }

  append(key: unknown, value: unknown): void {
    this.pending.push([key, value]);
    this.pendingBytes += estimateSizeBytes(key) + estimateSizeBytes(value);
    if (this.pendingBytes >= FRAME_TARGET_BYTES || this.pending.length >= FRAME_MAX_RECORDS) this.flush();
  }

  /** Writes the pending records as frames, so the file ends on a frame boundary. */
  flush(): void {
    if (this.pending.length === 0) return;
    const frames = encodeFrames(this.pending, this.maxRecordBytes);
    this.pending = [];
    this.pendingBytes = 0;
    for (const frame of frames) this.writeBytes(frame, frame.length);
  }

  /** Appends bytes [startBytes, endBytes) of another frame file verbatim (whole frames only). */
  copyRange(sourcePath: string, startBytes: number, endBytes: number): void {
    if (startBytes === endBytes) return;
    this.flush();
    const source = openSync(sourcePath, 'r');
    try {
      const buffer = Buffer.allocUnsafe(Math.min(COPY_BUFFER_BYTES, endBytes - startBytes));
      for (let position = startBytes; position < endBytes; ) {
        const wanted = Math.min(buffer.length, endBytes - position);
        const read = readSync(source, buffer, 0, wanted, position);
        if (read === 0) throw new CorruptFrameError(sourcePath, position, `file ends before byte ${endBytes}`);
        this.writeBytes(buffer, read);
        position += read;
      }
    } finally {
      closeSync(source);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
  }

  private writeBytes(buffer: Buffer, length: number): void {
    if (this.closed) throw new ShuffleInvariantError(`no writes to ${this.path} after close`);
    for (let written = 0; written < length; ) written += writeSync(this.fd, buffer, written, length - written);
    this.writtenBytes += length;
  }
}

/** Yields the record arrays of the frames in bytes [startBytes, endBytes) of `path`. */
export function* readFrames(path: string, startBytes: number, endBytes: number): Generator<ShuffleRecord[]> {
  if (startBytes === endBytes) return;
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
    for (let position = startBytes; position < endBytes; ) {
      if (position + FRAME_HEADER_BYTES > endBytes) throw new CorruptFrameError(path, position, 'frame header crosses the segment end');
      readExactly(fd, header, FRAME_HEADER_BYTES, position, path);
      const frameHeader = parseFrameHeader(header, path, position);
      const payloadStart = position + FRAME_HEADER_BYTES;
      if (payloadStart + frameHeader.payloadBytes > endBytes) throw new CorruptFrameError(path, position, 'frame crosses the segment end');
      // A fresh buffer per frame: v8.deserialize returns typed arrays as views into the payload.
      const payload = Buffer.allocUnsafe(frameHeader.payloadBytes);
      readExactly(fd, payload, frameHeader.payloadBytes, payloadStart, path);
      position = payloadStart + frameHeader.payloadBytes;
      yield decodeFramePayload(payload, frameHeader, path, payloadStart);
    }
  } finally {
    closeSync(fd);
  }
}

function readExactly(fd: number, buffer: Buffer, length: number, position: number, path: string): void {
  for (let read = 0; read < length; ) {
    const bytes = readSync(fd, buffer, read, length - read, position + read);
    if (bytes === 0) throw new CorruptFrameError(path, position, `file ends ${length - read} bytes short of a frame`);
    read += bytes;
  }
}
