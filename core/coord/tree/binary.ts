/**
 * Minimal big-endian writer and bounds-checked reader for the snapshot format. Strings travel as
 * UTF-16 code units so that any JavaScript string (even one with a lone surrogate in an ACL id)
 * round-trips exactly; a replica restored from a snapshot must hash the same as its source.
 */
import { CorruptSnapshotError } from './errors.js';

export class BinaryWriter {
  private readonly chunks: Buffer[] = [];

  u32(value: number): void {
    const chunk = Buffer.allocUnsafe(4);
    chunk.writeUInt32BE(value);
    this.chunks.push(chunk);
  }

  i32(value: number): void {
    const chunk = Buffer.allocUnsafe(4);
    chunk.writeInt32BE(value);
    this.chunks.push(chunk);
  }

  i64(value: bigint): void {
    const chunk = Buffer.allocUnsafe(8);
    chunk.writeBigInt64BE(value);
    this.chunks.push(chunk);
  }

  /** Times and timeouts: a double keeps whatever number the leader chose, bit for bit. */
  f64(value: number): void {
    const chunk = Buffer.allocUnsafe(8);
    chunk.writeDoubleBE(value);
    this.chunks.push(chunk);
  }

  bytes(value: Buffer): void {
    this.u32(value.length);
    this.chunks.push(value);
  }

  string(value: string): void {
    this.bytes(Buffer.from(value, 'utf16le'));
  }

  raw(value: Buffer): void {
    this.chunks.push(value);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.chunks);
  }
}

export class BinaryReader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  u32(): number {
    return this.take(4).readUInt32BE();
  }

  i32(): number {
    return this.take(4).readInt32BE();
  }

  i64(): bigint {
    return this.take(8).readBigInt64BE();
  }

  f64(): number {
    return this.take(8).readDoubleBE();
  }

  bytes(): Buffer {
    return Buffer.from(this.take(this.u32()));
  }

  string(): string {
    const encoded = this.take(this.u32());
    if (encoded.length % 2 !== 0) throw new CorruptSnapshotError('string of odd UTF-16 length', this.offset);
    return encoded.toString('utf16le');
  }

  take(lengthBytes: number): Buffer {
    if (lengthBytes > this.remaining) {
      throw new CorruptSnapshotError(`needs ${lengthBytes} bytes, only ${this.remaining} left`, this.offset);
    }
    const slice = this.buffer.subarray(this.offset, this.offset + lengthBytes);
    this.offset += lengthBytes;
    return slice;
  }
}
