/**
 * Writes size-prefixed frames to a socket.
 *
 * Small frames written in the same tick are copied back to back into one pooled buffer and leave
 * in a single write at the end of the tick: a read full of small requests is answered with one
 * syscall, not one per response. Large frames go out as header + payload inside a cork (one
 * writev) without copying the payload. Order is preserved: a large frame first flushes the batch.
 */
import type { Socket } from 'node:net';
import { COPY_THRESHOLD_BYTES, FRAME_HEADER_BYTES, WRITE_BATCH_BYTES } from './limits.js';

/** A frame payload: one buffer, or pieces sent back to back (e.g. a header and a file range). */
export type FramePayload = Buffer | readonly Buffer[];

export function payloadLength(payload: FramePayload): number {
  if (Buffer.isBuffer(payload)) return payload.length;
  let total = 0;
  for (const piece of payload) total += piece.length;
  return total;
}

function copyPayload(payload: FramePayload, target: Buffer, offset: number): void {
  if (Buffer.isBuffer(payload)) payload.copy(target, offset);
  else for (const piece of payload) offset += piece.copy(target, offset);
}

export class FrameWriter {
  /** Pool the batch is carved from; the socket keeps only the slices already handed to it. */
  private pool: Buffer = Buffer.allocUnsafe(0);
  private batchStart = 0;
  private batchEnd = 0;
  private flushScheduled = false;

  constructor(private readonly socket: Socket) {}

  /** Queues one frame; false means the socket is over its high-water mark: wait for 'drain'. */
  write(payload: FramePayload): boolean {
    const length = payloadLength(payload);
    if (length > COPY_THRESHOLD_BYTES) {
      this.flush();
      return this.writeLarge(payload, length);
    }
    const needed = FRAME_HEADER_BYTES + length;
    if (this.batchEnd + needed > this.pool.length) {
      this.flush();
      this.pool = Buffer.allocUnsafe(Math.max(WRITE_BATCH_BYTES, needed));
      this.batchStart = 0;
      this.batchEnd = 0;
    }
    this.pool.writeInt32BE(length, this.batchEnd);
    copyPayload(payload, this.pool, this.batchEnd + FRAME_HEADER_BYTES);
    this.batchEnd += needed;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => this.flush());
    }
    return !this.socket.writableNeedDrain && this.batchEnd - this.batchStart < WRITE_BATCH_BYTES;
  }

  /** Hands the batched frames to the socket now. */
  flush(): boolean {
    this.flushScheduled = false;
    if (this.batchEnd === this.batchStart || this.socket.destroyed) return !this.socket.writableNeedDrain;
    const batch = this.pool.subarray(this.batchStart, this.batchEnd);
    this.batchStart = this.batchEnd;
    return this.socket.write(batch);
  }

  /** Bytes accepted but not yet handed to the kernel (batched or in the socket's buffer). */
  get pendingBytes(): number {
    return this.socket.writableLength + (this.batchEnd - this.batchStart);
  }

  private writeLarge(payload: FramePayload, length: number): boolean {
    const header = Buffer.allocUnsafe(FRAME_HEADER_BYTES);
    header.writeInt32BE(length, 0);
    this.socket.cork();
    let ok = this.socket.write(header);
    if (Buffer.isBuffer(payload)) ok = this.socket.write(payload) && ok;
    else for (const piece of payload) ok = this.socket.write(piece) && ok;
    this.socket.uncork();
    return ok;
  }
}
