/**
 * Reads jute-encoded fields (ZooKeeper's serialization: big-endian ints and longs, one-byte
 * booleans, length-prefixed buffers, strings and vectors where -1 means null). Every read is
 * bounds-checked: a short or lying packet throws JuteDecodeError, never reads past the end.
 */
import { JuteDecodeError } from './errors.js';
import { MAX_STRING_BYTES, MAX_VECTOR_LENGTH } from './limits.js';

export class JuteReader {
  private offset: number;

  constructor(
    private readonly buffer: Buffer,
    start = 0,
  ) {
    this.offset = start;
  }

  get position(): number {
    return this.offset;
  }

  get remaining(): number {
    return this.buffer.length - this.offset;
  }

  private need(bytes: number, field: string): void {
    if (this.remaining < bytes) throw new JuteDecodeError(field, this.offset, `needs ${bytes} bytes, ${this.remaining} left`);
  }

  int(field: string): number {
    this.need(4, field);
    const value = this.buffer.readInt32BE(this.offset);
    this.offset += 4;
    return value;
  }

  long(field: string): bigint {
    this.need(8, field);
    const value = this.buffer.readBigInt64BE(this.offset);
    this.offset += 8;
    return value;
  }

  boolean(field: string): boolean {
    this.need(1, field);
    return this.buffer[this.offset++] !== 0;
  }

  /** A length-prefixed byte buffer; null (-1) reads as an empty buffer, as ZooKeeper's server does. */
  buffer_(field: string): Buffer {
    const length = this.int(field);
    if (length < 0) return Buffer.alloc(0);
    this.need(length, field);
    const value = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** A UTF-8 string; null (-1) is an error: every string field of the client protocol is required. */
  string(field: string): string {
    const length = this.int(field);
    if (length < 0) throw new JuteDecodeError(field, this.offset - 4, 'null string');
    if (length > MAX_STRING_BYTES) throw new JuteDecodeError(field, this.offset - 4, `string of ${length} bytes exceeds ${MAX_STRING_BYTES}`);
    this.need(length, field);
    const value = this.buffer.toString('utf8', this.offset, this.offset + length);
    this.offset += length;
    return value;
  }

  /** A vector; null (-1) reads as empty. */
  vector<T>(field: string, readElement: (reader: JuteReader) => T): T[] {
    const count = this.int(field);
    if (count < 0) return [];
    if (count > MAX_VECTOR_LENGTH) throw new JuteDecodeError(field, this.offset - 4, `vector of ${count} elements exceeds ${MAX_VECTOR_LENGTH}`);
    // Each element takes at least one byte: a count larger than what is left is a lie.
    if (count > this.remaining) throw new JuteDecodeError(field, this.offset - 4, `vector of ${count} elements in ${this.remaining} bytes`);
    const values: T[] = [];
    for (let i = 0; i < count; i += 1) values.push(readElement(this));
    return values;
  }
}
