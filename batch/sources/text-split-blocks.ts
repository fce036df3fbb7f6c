/**
 * The lines of a text split pushed to a callback, decoded a block at a time: one read, one UTF-8
 * decode and one string split per ~1 MiB instead of a Buffer and a decode per line. Same lines as
 * readTextSplit (its module header has the rules: a split owns the lines starting in
 * (start, end], plus byte 0; `\r\n` ends a line like `\n`; a BOM at byte 0 is dropped; invalid
 * UTF-8 reads as U+FFFD) — a property test holds the two together. Blocks are cut after a `\n`,
 * and a `\n` byte is never inside a multi-byte character, so decoding a block equals decoding its
 * lines one by one.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { LineTooLongError, SourceFileError } from './errors.js';
import { DEFAULT_MAX_LINE_BYTES, TEXT_BLOCK_BYTES } from './limits.js';
import type { TextSplit } from './text-splits.js';

const NEWLINE = 0x0a;
const BOM = '\ufeff';
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function open(path: string): number {
  try {
    return openSync(path, 'r');
  } catch (error) {
    throw new SourceFileError('FILE_NOT_FOUND', path, error);
  }
}

/** Byte offset just after the first `\n` at or after `from`, or -1. */
function afterNewline(fd: number, from: number, blockBytes: number): number {
  const block = Buffer.allocUnsafe(blockBytes);
  for (let position = from; ; position += blockBytes) {
    const read = readSync(fd, block, 0, blockBytes, position);
    if (read === 0) return -1;
    const index = block.subarray(0, read).indexOf(NEWLINE);
    if (index >= 0) return position + index + 1;
  }
}

export interface BlockReadOptions {
  readonly maxLineBytes?: number;
  readonly blockBytes?: number;
}

class LineEmitter {
  private first: boolean;

  constructor(
    private readonly split: TextSplit,
    private readonly sink: (line: string) => void,
    private readonly maxLineBytes: number,
    startsAtZero: boolean,
  ) {
    this.first = startsAtZero;
  }

  /** Emits the lines of `bytes` (complete lines without their final `\n`), the first starting at byte `position`. */
  emitBlock(bytes: Buffer, position: number): void {
    const lines = decoder.decode(bytes).split('\n');
    for (let index = 0; index < lines.length; index++) {
      let line = lines[index] as string;
      if (line.length * 3 > this.maxLineBytes && Buffer.byteLength(line) > this.maxLineBytes) {
        throw new LineTooLongError(this.split.path, position + lines.slice(0, index).reduce((sum, before) => sum + Buffer.byteLength(before) + 1, 0), this.maxLineBytes);
      }
      if (this.first) {
        this.first = false;
        if (line.startsWith(BOM)) line = line.slice(1);
      }
      if (line.endsWith('\r')) line = line.slice(0, -1);
      this.sink(line);
    }
  }
}

export function forEachLineOfSplit(split: TextSplit, sink: (line: string) => void, options: BlockReadOptions = {}): void {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const blockBytes = options.blockBytes ?? TEXT_BLOCK_BYTES;
  const fd = open(split.path);
  try {
    let position = split.start === 0 ? 0 : afterNewline(fd, split.start, blockBytes);
    if (position < 0 || position > split.end) return;
    const emitter = new LineEmitter(split, sink, maxLineBytes, split.start === 0);
    let carry = Buffer.alloc(0);
    for (;;) {
      const block = Buffer.allocUnsafe(carry.length + blockBytes);
      carry.copy(block, 0);
      const read = readSync(fd, block, carry.length, blockBytes, position + carry.length);
      const bytes = block.subarray(0, carry.length + read);
      const limit = split.end - position; // owned lines start at relative offsets ≤ limit
      if (read === 0) {
        if (bytes.length > 0 && !(position === 0 && bytes.length === 3 && decoder.decode(bytes) === BOM)) emitter.emitBlock(bytes, position);
        return;
      }
      const lastNewline = bytes.lastIndexOf(NEWLINE);
      if (lastNewline < 0) {
        if (bytes.length > maxLineBytes) throw new LineTooLongError(split.path, position, maxLineBytes);
        carry = bytes;
        continue;
      }
      if (lastNewline < limit) {
        emitter.emitBlock(bytes.subarray(0, lastNewline), position);
        position += lastNewline + 1;
        carry = Buffer.from(bytes.subarray(lastNewline + 1));
        continue;
      }
      // The split ends in this block: the last owned line starts after the last `\n` before `limit`.
      const lastOwnedStart = limit === 0 ? 0 : bytes.lastIndexOf(NEWLINE, limit - 1) + 1;
      const endOfLast = bytes.indexOf(NEWLINE, lastOwnedStart);
      emitter.emitBlock(bytes.subarray(0, endOfLast), position);
      return;
    }
  } finally {
    closeSync(fd);
  }
}
