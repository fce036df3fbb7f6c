/**
 * Streaming parser of client commands: RESP arrays of bulk strings (`*2\r\n$3\r\nGET\r\n$1\r\nk\r\n`)
 * and inline commands (`GET k\r\n`), fed with whatever chunks the socket delivers.
 *
 * It follows Redis 7.0's processMultibulkBuffer() and processInlineBuffer() (networking.c) byte
 * for byte, quirks included, so that a client gets the same replies from Barista as from Redis:
 * a first byte of '*' means RESP, anything else inline; count and length lines end at the first
 * '\r' and the byte after it is skipped unchecked; so are the two bytes after a bulk payload;
 * `*0` and negative counts are empty commands; lines are searched like strchr(), so a NUL byte
 * before the line end hides it. Errors carry Redis's exact reply text.
 *
 * Memory is bounded: lines longer than PROTO_INLINE_MAX_SIZE are refused; bulk strings longer than
 * `maxBulkBytes` are refused from their header; an unfinished command's bytes (plus a per-argument
 * overhead) are charged against `maxQueryBufferBytes` as they arrive, never preallocated. Input
 * bytes are copied at most once into a growing buffer (amortised), and large bulk payloads are
 * collected piecewise and joined once, so a slow sender cannot make parsing quadratic.
 * Arguments are fresh copies: they never alias socket buffers.
 */
import { QueryBufferLimitError, RespProtocolError } from './errors.js';
import { splitInlineArguments } from './inline.js';
import { string2llNumber } from './integers.js';
import { ARGUMENT_OVERHEAD_BYTES, CLIENT_QUERY_BUFFER_LIMIT, PROTO_INLINE_MAX_SIZE, PROTO_MAX_BULK_LEN, PROTO_MAX_MULTIBULK_LEN, PROTO_MBULK_BIG_ARG } from './limits.js';

export interface RespParserLimits {
  /** Largest bulk string (default PROTO_MAX_BULK_LEN, Redis's proto-max-bulk-len). */
  maxBulkBytes?: number;
  /** Most bytes one unfinished command may hold (default CLIENT_QUERY_BUFFER_LIMIT). */
  maxQueryBufferBytes?: number;
}

export interface ParseResult {
  /** Complete commands, in order; each is its arguments (name first). */
  commands: Buffer[][];
  /** Set when the input stopped being RESP; commands before it are still valid. The parser
   * accepts no more input after an error. */
  error?: RespProtocolError | QueryBufferLimitError;
}

const STAR = 0x2a;
const DOLLAR = 0x24;
const CR = 0x0d;
const LF = 0x0a;

/** What one push() is working through: the bytes and the read position. */
interface Cursor {
  data: Buffer;
  pos: number;
  /** Whether `data` is the parser's kept bytes (else the caller's chunk). */
  kept: boolean;
}

/** A bulk payload too large to re-copy, being collected piece by piece. */
interface BigBulk {
  pieces: Buffer[];
  /** Bytes in `pieces`. */
  received: number;
  /** Bytes still to come, including the two after the payload. */
  remaining: number;
}

/** Signals "need more input" out of the nested parsing steps. */
const NEED_MORE = Symbol('need more input');

export class RespParser {
  private readonly maxBulkBytes: number;
  private readonly maxQueryBufferBytes: number;
  /** Unparsed input kept between pushes: bytes [start, end) of `store`. */
  private store = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  /** Arguments of the command being read, and how many are still expected (0 = between commands). */
  private args: Buffer[] = [];
  private argsBytes = 0;
  private missingArgs = 0;
  /** Length of the bulk payload being read, or -1 while its `$` line is awaited. */
  private bulkLength = -1;
  private bigBulk: BigBulk | undefined;
  /** Bytes of the awaited line already searched for its end, and whether they hold a NUL. */
  private lineSearched = 0;
  private lineHasNul = false;
  private failure: ParseResult['error'];

  constructor(limits: RespParserLimits = {}) {
    this.maxBulkBytes = limits.maxBulkBytes ?? PROTO_MAX_BULK_LEN;
    this.maxQueryBufferBytes = limits.maxQueryBufferBytes ?? CLIENT_QUERY_BUFFER_LIMIT;
  }

  /** Bytes held for the unfinished command: unparsed input, arguments so far, their overhead. */
  get pendingBytes(): number {
    return this.end - this.start + this.argsBytes + (this.bigBulk?.received ?? 0);
  }

  push(chunk: Buffer): ParseResult {
    const commands: Buffer[][] = [];
    if (this.failure) return { commands, error: this.failure };
    const cursor = this.cursorFor(chunk);
    if (cursor === undefined) return this.checkQueryBuffer(commands);
    try {
      this.parse(cursor, commands);
    } catch (error) {
      if (!(error instanceof RespProtocolError)) throw error;
      this.failure = error;
      this.dropInput();
      return { commands, error };
    }
    this.keep(cursor);
    return this.checkQueryBuffer(commands);
  }

  /** The bytes to parse: the chunk alone when nothing is kept (no copy), else kept + chunk.
   * Undefined when the chunk was consumed by a big bulk payload still incomplete. */
  private cursorFor(chunk: Buffer): Cursor | undefined {
    let pos = 0;
    if (this.bigBulk) {
      pos = Math.min(this.bigBulk.remaining, chunk.length);
      this.bigBulk.pieces.push(chunk.subarray(0, pos));
      this.bigBulk.received += pos;
      this.bigBulk.remaining -= pos;
      if (this.bigBulk.remaining > 0) return undefined;
      this.finishBigBulk();
    }
    if (this.end === this.start) return { data: chunk, pos, kept: false };
    this.append(chunk.subarray(pos));
    return { data: this.store.subarray(this.start, this.end), pos: 0, kept: true };
  }

  private parse(cursor: Cursor, commands: Buffer[][]): void {
    for (;;) {
      if (this.missingArgs > 0 || this.args.length > 0) {
        if (this.readArguments(cursor) === NEED_MORE) return;
        commands.push(this.args);
        this.args = [];
        this.argsBytes = 0;
      }
      if (cursor.pos >= cursor.data.length) return;
      const command = cursor.data[cursor.pos] === STAR ? this.readMultibulkHeader(cursor) : this.readInline(cursor);
      if (command === NEED_MORE) return;
      if (command !== undefined) commands.push(command);
    }
  }

  /** `*<count>\r\n`: starts a command of `count` arguments (none for count <= 0). */
  private readMultibulkHeader(cursor: Cursor): typeof NEED_MORE | undefined {
    const lineEnd = this.lineEnd(cursor, CR, 'Protocol error: too big mbulk count string');
    if (lineEnd === NEED_MORE) return NEED_MORE;
    const count = string2llNumber(cursor.data, cursor.pos + 1, lineEnd);
    if (count === undefined || count > PROTO_MAX_MULTIBULK_LEN) throw new RespProtocolError('Protocol error: invalid multibulk length', lineEnd - cursor.pos);
    cursor.pos = lineEnd + 2;
    if (count > 0) this.missingArgs = count;
    return undefined;
  }

  /** One inline command line; undefined for a blank line. */
  private readInline(cursor: Cursor): Buffer[] | typeof NEED_MORE | undefined {
    const newline = this.lineEnd(cursor, LF, 'Protocol error: too big inline request');
    if (newline === NEED_MORE) return NEED_MORE;
    const lineEnd = newline > cursor.pos && cursor.data[newline - 1] === CR ? newline - 1 : newline;
    const args = splitInlineArguments(cursor.data.subarray(cursor.pos, lineEnd));
    if (args === undefined) throw new RespProtocolError('Protocol error: unbalanced quotes in request', newline - cursor.pos);
    cursor.pos = newline + 1;
    return args.length > 0 ? args : undefined;
  }

  /** Bulk strings until the command is complete. */
  private readArguments(cursor: Cursor): typeof NEED_MORE | undefined {
    while (this.missingArgs > 0) {
      if (this.bulkLength < 0 && this.readBulkHeader(cursor) === NEED_MORE) return NEED_MORE;
      const available = cursor.data.length - cursor.pos;
      if (available < this.bulkLength + 2) {
        if (this.bulkLength >= PROTO_MBULK_BIG_ARG) {
          this.bigBulk = { pieces: [Buffer.from(cursor.data.subarray(cursor.pos))], received: available, remaining: this.bulkLength + 2 - available };
          cursor.pos = cursor.data.length;
        }
        return NEED_MORE;
      }
      const start = cursor.pos;
      cursor.pos += this.bulkLength + 2;
      this.addArgument(Buffer.from(cursor.data.subarray(start, start + this.bulkLength)));
    }
    return undefined;
  }

  private readBulkHeader(cursor: Cursor): typeof NEED_MORE | undefined {
    const lineEnd = this.lineEnd(cursor, CR, 'Protocol error: too big bulk count string');
    if (lineEnd === NEED_MORE) return NEED_MORE;
    // The line holds no NUL (see lineEnd), so the byte always prints, as Redis's %c does.
    const first = cursor.data[cursor.pos]!;
    if (first !== DOLLAR) throw new RespProtocolError(`Protocol error: expected '$', got '${sanitize(first)}'`, lineEnd - cursor.pos);
    const length = string2llNumber(cursor.data, cursor.pos + 1, lineEnd);
    if (length === undefined || length < 0 || length > this.maxBulkBytes) throw new RespProtocolError('Protocol error: invalid bulk length', lineEnd - cursor.pos);
    this.bulkLength = length;
    cursor.pos = lineEnd + 2;
    return undefined;
  }

  /**
   * Index of the `byte` ending the line at the cursor, with the byte after it present when the
   * line ends at CR (Redis waits for the LF's place). strchr() semantics: a NUL first means no
   * line, ever. NEED_MORE when incomplete; a protocol error when the wait exceeds the inline
   * limit. Bytes already searched on earlier pushes are not searched again.
   */
  private lineEnd(cursor: Cursor, byte: number, tooBig: string): number | typeof NEED_MORE {
    const { data, pos } = cursor;
    const from = pos + this.lineSearched;
    let end = this.lineHasNul ? -1 : data.indexOf(byte, from);
    if (!this.lineHasNul && data.subarray(from, end < 0 ? data.length : end).includes(0)) {
      this.lineHasNul = true;
      end = -1;
    }
    if (end >= 0 && (byte !== CR || end + 1 < data.length)) {
      this.lineSearched = 0;
      return end;
    }
    if (end < 0 && data.length - pos > PROTO_INLINE_MAX_SIZE) throw new RespProtocolError(tooBig, data.length - pos);
    this.lineSearched = (end < 0 ? data.length : end) - pos;
    return NEED_MORE;
  }

  private addArgument(argument: Buffer): void {
    this.args.push(argument);
    this.argsBytes += argument.length + ARGUMENT_OVERHEAD_BYTES;
    this.missingArgs -= 1;
    this.bulkLength = -1;
  }

  private finishBigBulk(): void {
    const whole = Buffer.concat(this.bigBulk!.pieces);
    this.bigBulk = undefined;
    this.addArgument(whole.subarray(0, this.bulkLength));
  }

  /** Keeps the unparsed rest of the input for the next push. */
  private keep(cursor: Cursor): void {
    if (cursor.kept) {
      this.start += cursor.pos;
      if (this.start === this.end) this.start = this.end = 0;
    } else {
      this.start = this.end = 0;
      if (cursor.pos < cursor.data.length) this.append(cursor.data.subarray(cursor.pos));
    }
  }

  /** Appends to the kept bytes, growing by doubling and compacting, so each byte is copied O(1) times. */
  private append(bytes: Buffer): void {
    const kept = this.end - this.start;
    if (this.end + bytes.length > this.store.length) {
      const target = kept + bytes.length <= this.store.length / 2 ? this.store : Buffer.allocUnsafeSlow(Math.max(2 * (kept + bytes.length), 1024));
      this.store.copy(target, 0, this.start, this.end);
      this.store = target;
      this.start = 0;
      this.end = kept;
    }
    bytes.copy(this.store, this.end);
    this.end += bytes.length;
  }

  private dropInput(): void {
    this.store = Buffer.alloc(0);
    this.start = this.end = 0;
    this.args = [];
    this.argsBytes = 0;
    this.bigBulk = undefined;
    this.lineSearched = 0;
    this.lineHasNul = false;
  }

  private checkQueryBuffer(commands: Buffer[][]): ParseResult {
    const pending = this.pendingBytes;
    if (pending <= this.maxQueryBufferBytes) return { commands };
    this.failure = new QueryBufferLimitError(pending, this.maxQueryBufferBytes);
    this.dropInput();
    return { commands, error: this.failure };
  }
}

/** Redis maps CR and LF in error messages to spaces. */
function sanitize(byte: number): string {
  return byte === CR || byte === LF ? ' ' : String.fromCharCode(byte);
}
