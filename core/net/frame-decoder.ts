/**
 * Splits a TCP byte stream into size-prefixed frames (4-byte big-endian length, then payload).
 *
 * Zero-copy where it is cheap: a frame that lies inside one received chunk is returned as a view
 * (`subarray`) of that chunk; only a frame that straddles chunks is copied, once, into a buffer of
 * exactly its size. Chunks are never concatenated wholesale, so a 64 KB frame arriving in many
 * small reads costs one copy, not one per read.
 */
import { FrameTooLargeError, MalformedFrameError } from './errors.js';
import { FRAME_HEADER_BYTES } from './limits.js';

export class FrameDecoder {
  private readonly chunks: Buffer[] = [];
  /** Read position inside chunks[0]. */
  private headOffset = 0;
  private bufferedBytes = 0;
  /** Payload length of the frame being assembled, or -1 while its header is still incomplete. */
  private expectedBytes = -1;
  /** Frames completed by the push that then threw: they arrived intact and deserve an answer. */
  private completedBeforeError: Buffer[] = [];

  constructor(private readonly maxFrameBytes: number) {
    if (!Number.isInteger(maxFrameBytes) || maxFrameBytes < 0) throw new RangeError(`maxFrameBytes must be a non-negative integer, got ${maxFrameBytes}`);
  }

  /**
   * Feeds one chunk; returns the frames it completed, in order. Throws FrameTooLargeError or
   * MalformedFrameError as soon as a header announces an impossible frame — before buffering it.
   * Frames the same chunk completed before the bad header are then in framesBeforeError().
   */
  push(chunk: Buffer): Buffer[] {
    const frames: Buffer[] = [];
    if (chunk.length === 0) return frames;
    this.chunks.push(chunk);
    this.bufferedBytes += chunk.length;
    for (;;) {
      if (this.expectedBytes < 0) {
        if (this.bufferedBytes < FRAME_HEADER_BYTES) break;
        const length = this.readHeader();
        if (length < 0 || length > this.maxFrameBytes) {
          this.completedBeforeError = frames;
          throw length < 0 ? new MalformedFrameError(length) : new FrameTooLargeError(length, this.maxFrameBytes);
        }
        this.expectedBytes = length;
      }
      if (this.bufferedBytes < this.expectedBytes) break;
      frames.push(this.take(this.expectedBytes));
      this.expectedBytes = -1;
    }
    return frames;
  }

  /** The whole frames that preceded the bad header push() last threw on (whether a request
   * arrived intact must not depend on how TCP cut the stream). */
  framesBeforeError(): Buffer[] {
    return this.completedBeforeError;
  }

  /** True while some bytes of a frame (header or payload) have arrived but not the whole frame. */
  get hasPartialFrame(): boolean {
    return this.bufferedBytes > 0 || this.expectedBytes >= 0;
  }

  /** Bytes held for the incomplete frame. */
  get pendingBytes(): number {
    return this.bufferedBytes;
  }

  private readHeader(): number {
    const head = this.chunks[0]!;
    if (head.length - this.headOffset >= FRAME_HEADER_BYTES) {
      const length = head.readInt32BE(this.headOffset);
      this.consume(FRAME_HEADER_BYTES);
      return length;
    }
    return this.take(FRAME_HEADER_BYTES).readInt32BE(0);
  }

  private take(count: number): Buffer {
    const head = this.chunks[0];
    if (count === 0) return Buffer.alloc(0);
    if (head !== undefined && head.length - this.headOffset >= count) {
      const view = head.subarray(this.headOffset, this.headOffset + count);
      this.consume(count);
      return view;
    }
    const out = Buffer.allocUnsafe(count);
    let written = 0;
    while (written < count) {
      const chunk = this.chunks[0]!;
      const available = Math.min(chunk.length - this.headOffset, count - written);
      chunk.copy(out, written, this.headOffset, this.headOffset + available);
      written += available;
      this.consume(available);
    }
    return out;
  }

  private consume(count: number): void {
    this.bufferedBytes -= count;
    this.headOffset += count;
    const head = this.chunks[0];
    if (head !== undefined && this.headOffset === head.length) {
      this.chunks.shift();
      this.headOffset = 0;
    }
  }
}
