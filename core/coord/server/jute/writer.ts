/** Writes jute-encoded fields into a growing buffer (see JuteReader for the encoding). */
const INITIAL_BYTES = 256;

export class JuteWriter {
  private buffer: Buffer;
  private offset: number;

  /** `reserve` leading bytes are left for the caller (the frame length, a header). */
  constructor(reserve = 0, initialBytes = INITIAL_BYTES) {
    this.buffer = Buffer.allocUnsafe(Math.max(initialBytes, reserve));
    this.offset = reserve;
  }

  private ensure(bytes: number): void {
    if (this.offset + bytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + bytes));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }

  int(value: number): this {
    this.ensure(4);
    this.buffer.writeInt32BE(value, this.offset);
    this.offset += 4;
    return this;
  }

  long(value: bigint): this {
    this.ensure(8);
    this.buffer.writeBigInt64BE(BigInt.asIntN(64, value), this.offset);
    this.offset += 8;
    return this;
  }

  boolean(value: boolean): this {
    this.ensure(1);
    this.buffer[this.offset++] = value ? 1 : 0;
    return this;
  }

  /** null writes -1, as ZooKeeper does for absent data. */
  buffer_(value: Buffer | null): this {
    if (value === null) return this.int(-1);
    this.int(value.length);
    this.ensure(value.length);
    value.copy(this.buffer, this.offset);
    this.offset += value.length;
    return this;
  }

  string(value: string | null): this {
    if (value === null) return this.int(-1);
    const length = Buffer.byteLength(value);
    this.int(length);
    this.ensure(length);
    this.buffer.write(value, this.offset, 'utf8');
    this.offset += length;
    return this;
  }

  vector<T>(values: readonly T[] | null, writeElement: (writer: JuteWriter, value: T) => void): this {
    if (values === null) return this.int(-1);
    this.int(values.length);
    for (const value of values) writeElement(this, value);
    return this;
  }

  /** The bytes written so far (a view, valid until the next write). */
  finish(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }
}
