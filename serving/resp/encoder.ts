/**
 * Encodes replies to RESP2 or RESP3 bytes. Small pieces are packed into shared 16 KiB chunks, so
 * a burst of replies leaves in a few socket writes; large bulk values are referenced, not copied
 * (stored values are immutable by the Keyspace contract). Simple-string and error texts have CR
 * and LF replaced by spaces, so a reply can never break the protocol stream, as Redis ensures.
 */
import type { Protocol, Reply } from './reply.js';

/** Bulk payloads at least this large are handed to the socket as they are, without copying. */
const COPY_THRESHOLD_BYTES = 16 * 1024;
/** Size of the chunks small pieces are packed into. */
const CHUNK_BYTES = 16 * 1024;
const CRLF = '\r\n';
const LINE_BREAKS = /[\r\n]/g;
/** Characters that are not one byte cannot be written as latin1; they become '?'. */
const WIDE_CHARACTERS = /[\u0100-\uffff]/g;

/** Accumulates encoded replies until `take()` hands them to the socket. */
export class ReplyEncoder {
  private chunks: Buffer[] = [];
  private current = Buffer.allocUnsafeSlow(0);
  private used = 0;
  private flushedTo = 0;
  private total = 0;

  /** Bytes encoded and not yet taken. */
  get length(): number {
    return this.total;
  }

  write(reply: Reply, protocol: Protocol): void {
    switch (reply.type) {
      case 'simple':
        return this.text(`+${line(reply.text)}${CRLF}`);
      case 'error':
        return this.text(`-${line(reply.text.replace(/[\r\n]+$/, ''))}${CRLF}`);
      case 'integer':
        return this.text(`:${formatInteger(reply.value)}${CRLF}`);
      case 'bulk':
        return this.bulk(reply.value);
      case 'null':
        return this.text(protocol === 3 ? `_${CRLF}` : `$-1${CRLF}`);
      case 'nullArray':
        return this.text(protocol === 3 ? `_${CRLF}` : `*-1${CRLF}`);
      case 'array':
        return this.aggregate('*', reply.items, protocol);
      case 'set':
        return this.aggregate(protocol === 3 ? '~' : '*', reply.items, protocol);
      case 'map':
        return this.map(reply.entries, protocol);
      case 'verbatim':
        return this.verbatim(reply.format, reply.text, protocol);
    }
  }

  /** Everything encoded so far, as buffers to write in order; the encoder starts empty again. */
  take(): Buffer[] {
    this.seal();
    const taken = this.chunks;
    this.chunks = [];
    this.total = 0;
    return taken;
  }

  private aggregate(marker: string, items: readonly Reply[], protocol: Protocol): void {
    this.text(`${marker}${items.length}${CRLF}`);
    for (const item of items) this.write(item, protocol);
  }

  private map(entries: ReadonlyArray<readonly [Reply, Reply]>, protocol: Protocol): void {
    this.text(protocol === 3 ? `%${entries.length}${CRLF}` : `*${entries.length * 2}${CRLF}`);
    for (const [key, value] of entries) {
      this.write(key, protocol);
      this.write(value, protocol);
    }
  }

  private verbatim(format: string, text: Buffer, protocol: Protocol): void {
    if (protocol === 2) return this.bulk(text);
    this.text(`=${text.length + format.length + 1}${CRLF}${format}:`);
    this.bytes(text);
    this.text(CRLF);
  }

  private bulk(value: Buffer): void {
    this.text(`$${value.length}${CRLF}`);
    this.bytes(value);
    this.text(CRLF);
  }

  private text(text: string): void {
    this.reserve(text.length);
    this.used += this.current.write(text, this.used, 'latin1');
    this.total += text.length;
  }

  private bytes(value: Buffer): void {
    if (value.length >= COPY_THRESHOLD_BYTES) {
      this.seal();
      this.chunks.push(value);
    } else {
      this.reserve(value.length);
      this.used += value.copy(this.current, this.used);
    }
    this.total += value.length;
  }

  private reserve(length: number): void {
    if (this.used + length <= this.current.length) return;
    this.seal();
    this.current = Buffer.allocUnsafeSlow(Math.max(CHUNK_BYTES, length));
    this.used = 0;
    this.flushedTo = 0;
  }

  /** Moves the bytes packed since the last seal into the chunk list. */
  private seal(): void {
    if (this.used > this.flushedTo) this.chunks.push(this.current.subarray(this.flushedTo, this.used));
    this.flushedTo = this.used;
  }
}

/** Decimal digits, never exponent notation: numbers beyond 2^53 print as the integer they hold. */
function formatInteger(value: number | bigint): string {
  return typeof value === 'number' && !Number.isSafeInteger(value) && Number.isFinite(value) ? BigInt(Math.trunc(value)).toString() : String(value);
}

/** A text made safe for one RESP line. */
function line(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(WIDE_CHARACTERS, '?');
}

/** One reply as one buffer (tests and tools; the server streams through a ReplyEncoder). */
export function encodeReply(reply: Reply, protocol: Protocol = 2): Buffer {
  const encoder = new ReplyEncoder();
  encoder.write(reply, protocol);
  return Buffer.concat(encoder.take());
}
