/**
 * Text files as batch input: planning byte-range splits (Hadoop's FileInputFormat) and reading the
 * lines of one split (Hadoop's LineRecordReader).
 *
 * Planning: each path is a regular file or a directory (its regular files, not recursive, sorted
 * by name, skipping names starting with '.' or '_' such as _SUCCESS markers, as Hadoop does).
 * Split size = min(targetSplitBytes, ceil(total bytes / minSplits)); each file is cut into ranges
 * of that size, a tail under 10% of it staying in the file's last split. Empty files give no split.
 *
 * Reading, the rule that puts each line in exactly one split: a split owns the lines that start
 * in (start, end], plus the line at byte 0 when start is 0. So a split not starting at byte 0
 * skips up to and including the first '\n' at or after its start, and every split reads past its
 * end to finish its last line. Lines end at '\n'; a '\r' before it (or before the end of the file)
 * is dropped, so '\r\n' files read like '\n' files; a lone '\r' stays in the line. A final line
 * without '\n' is a line (even a lone '\r', read as ''); a final '\n' does not start an empty one.
 * A UTF-8 byte order mark at byte 0 is not part of the text.
 *
 * Decoding: a line is decoded once all its bytes are read, so a multi-byte character split across
 * read chunks decodes correctly ('\n' never occurs inside a UTF-8 sequence). Invalid UTF-8 becomes
 * U+FFFD replacement characters, exactly as a non-fatal TextDecoder of the whole file would give
 * — malformed input is read, not refused. A line over maxLineBytes throws LineTooLongError (file,
 * byte offset); a missing file throws SourceFileError.
 */
import { readdirSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { ChunkedLineReader } from './chunked-line-reader.js';
import { InvalidSourceOptionError, SourceError, SourceFileError } from './errors.js';
import { DEFAULT_MAX_LINE_BYTES, DEFAULT_TARGET_SPLIT_BYTES, MAX_TEXT_SPLITS, MIN_TARGET_SPLIT_BYTES, SPLIT_SLOP, TEXT_READ_CHUNK_BYTES } from './limits.js';

/** Bytes [start, end) of one file; its lines are those starting in (start, end] (see the header). */
export interface TextSplit {
  readonly path: string;
  readonly start: number;
  readonly end: number;
}

export interface TextSplitPlanOptions {
  /** Largest split in bytes (default DEFAULT_TARGET_SPLIT_BYTES, 32 MiB). */
  targetSplitBytes?: number;
  /** Make splits small enough that there are at least this many (given enough bytes); default 1. */
  minSplits?: number;
}

export interface TextSplitReadOptions {
  /** Longest line accepted, in bytes without its '\n' (default DEFAULT_MAX_LINE_BYTES, 64 MiB). */
  maxLineBytes?: number;
  /** Bytes per read call (default TEXT_READ_CHUNK_BYTES). */
  chunkBytes?: number;
}

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const CARRIAGE_RETURN = 0x0d;
// ignoreBOM: a U+FEFF inside the file is text; only the one at byte 0 is dropped (by hand).
const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

function checkInteger(option: string, value: number, min: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new InvalidSourceOptionError(option, value, `an integer in ${min}..${max}`);
}

function statOf(path: string): Stats {
  try {
    return statSync(path);
  } catch (error) {
    throw new SourceFileError('FILE_NOT_FOUND', path, error);
  }
}

/** The files behind `paths` with their sizes, in the order given (directories expanded, sorted). */
export function listTextFiles(paths: string | readonly string[]): Array<{ path: string; sizeBytes: number }> {
  const files: Array<{ path: string; sizeBytes: number }> = [];
  for (const path of typeof paths === 'string' ? [paths] : paths) {
    const stats = statOf(path);
    if (stats.isFile()) {
      files.push({ path, sizeBytes: stats.size });
    } else if (stats.isDirectory()) {
      const names = readdirSync(path).filter((name) => !name.startsWith('.') && !name.startsWith('_')).sort();
      for (const name of names) {
        const entry = statOf(join(path, name));
        if (entry.isFile()) files.push({ path: join(path, name), sizeBytes: entry.size });
      }
    } else {
      throw new SourceFileError('NOT_A_FILE', path);
    }
  }
  return files;
}

/** Byte-range splits of the text files behind `paths` (see the module header). */
export function planTextSplits(paths: string | readonly string[], options: TextSplitPlanOptions = {}): TextSplit[] {
  const targetSplitBytes = options.targetSplitBytes ?? DEFAULT_TARGET_SPLIT_BYTES;
  const minSplits = options.minSplits ?? 1;
  checkInteger('targetSplitBytes', targetSplitBytes, MIN_TARGET_SPLIT_BYTES, Number.MAX_SAFE_INTEGER);
  checkInteger('minSplits', minSplits, 1, MAX_TEXT_SPLITS);
  const files = listTextFiles(paths);
  const totalBytes = files.reduce((sum, file) => sum + file.sizeBytes, 0);
  const splitBytes = Math.max(1, Math.min(targetSplitBytes, Math.ceil(totalBytes / minSplits)));
  const splits: TextSplit[] = [];
  for (const { path, sizeBytes } of files) {
    let start = 0;
    while ((sizeBytes - start) / splitBytes > SPLIT_SLOP) {
      splits.push({ path, start, end: start + splitBytes });
      start += splitBytes;
    }
    if (start < sizeBytes) splits.push({ path, start, end: sizeBytes });
    if (splits.length > MAX_TEXT_SPLITS) {
      throw new SourceError('INVALID_SOURCE_OPTION', `text input makes more than ${MAX_TEXT_SPLITS} splits of ${splitBytes} bytes; raise targetSplitBytes`);
    }
  }
  return splits;
}

const startsWithBom = (bytes: Uint8Array): boolean => UTF8_BOM.every((byte, index) => bytes[index] === byte);

function decodeLine(bytes: Uint8Array, lineStart: number): string {
  let from = 0;
  let to = bytes.length;
  if (lineStart === 0 && startsWithBom(bytes)) from = UTF8_BOM.length;
  if (to > from && bytes[to - 1] === CARRIAGE_RETURN) to -= 1;
  return decoder.decode(bytes.subarray(from, to));
}

function* linesOfSplit(split: TextSplit, maxLineBytes: number, chunkBytes: number): Generator<string, void, undefined> {
  const reader = new ChunkedLineReader(split.path, chunkBytes, maxLineBytes);
  try {
    let position = split.start;
    if (split.start === 0) {
      const first = reader.readLine(0);
      if (first === undefined) return;
      // A file holding only a byte order mark holds no line.
      if (!(first.next === UTF8_BOM.length && startsWithBom(first.bytes))) yield decodeLine(first.bytes, 0);
      position = first.next;
    } else {
      position = reader.skipPastNewline(split.start);
      if (position === split.start) return; // no newline after start: nothing owned
    }
    while (position <= split.end) {
      const line = reader.readLine(position);
      if (line === undefined) return;
      yield decodeLine(line.bytes, position);
      position = line.next;
    }
  } finally {
    reader.close();
  }
}

/**
 * The lines of one split (see the module header). Lazy and re-iterable: each iteration opens the
 * file, reads synchronously in chunks and closes it when done or abandoned (break/return), so
 * errors such as a missing file surface on the first next(), not here.
 */
export function readTextSplit(split: TextSplit, options: TextSplitReadOptions = {}): Iterable<string> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const chunkBytes = options.chunkBytes ?? TEXT_READ_CHUNK_BYTES;
  checkInteger('maxLineBytes', maxLineBytes, 1, 2 ** 31 - 1);
  checkInteger('chunkBytes', chunkBytes, 1, 2 ** 30);
  checkInteger('split.start', split.start, 0, Number.MAX_SAFE_INTEGER);
  checkInteger('split.end', split.end, split.start, Number.MAX_SAFE_INTEGER);
  return { [Symbol.iterator]: () => linesOfSplit(split, maxLineBytes, chunkBytes) };
}
