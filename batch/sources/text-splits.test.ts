import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineTooLongError, SourceFileError } from './errors.js';
import { DEFAULT_TARGET_SPLIT_BYTES } from './limits.js';
import { listTextFiles, planTextSplits, readTextSplit, type TextSplit } from './text-splits.js';

let dir: string;
let fileSequence = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'text-splits-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeFile(content: string | Uint8Array, name = `file-${(fileSequence += 1)}.txt`): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

/** The specification: the file decoded whole (non-fatal, leading BOM dropped), cut at '\n', no
 * empty line after a final '\n', one trailing '\r' per line dropped. */
function referenceLines(bytes: Uint8Array): string[] {
  const lines = new TextDecoder().decode(bytes).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => line.replace(/\r$/, ''));
}

const linesOf = (splits: TextSplit[], chunkBytes?: number) => splits.flatMap((split) => [...readTextSplit(split, chunkBytes === undefined ? {} : { chunkBytes })]);

const lineArbitrary = fc.record({
  text: fc.oneof(fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.constantFrom('', '\r', 'a\rb', '\ufeff', '€𝄞ß', '\r\r')),
  terminator: fc.constantFrom('\n', '\r\n'),
});

describe('text splits', () => {
  it('reads every line of the file exactly once, in order, whatever the split and chunk sizes', () => {
    fc.assert(
      fc.property(fc.array(lineArbitrary, { maxLength: 30 }), fc.boolean(), fc.boolean(), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 17 }), (lines, terminateLast, bom, targetSplitBytes, minSplits, chunkBytes) => {
        let text = lines.map((line, index) => line.text + (index < lines.length - 1 || terminateLast ? line.terminator : '')).join('');
        if (bom) text = `\ufeff${text}`;
        const bytes = Buffer.from(text);
        const splits = planTextSplits(writeFile(bytes), { targetSplitBytes, minSplits });
        expect(linesOf(splits, chunkBytes)).toEqual(referenceLines(bytes));
      }),
      { numRuns: 300 },
    );
  });

  it('reads random bytes (invalid UTF-8 included) as a non-fatal TextDecoder would', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }).map((bytes) => bytes.map((byte) => (byte % 5 === 0 ? 0x0a : byte))), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 9 }), (bytes, targetSplitBytes, chunkBytes) => {
        const splits = planTextSplits(writeFile(bytes), { targetSplitBytes });
        expect(linesOf(splits, chunkBytes)).toEqual(referenceLines(bytes));
      }),
      { numRuns: 300 },
    );
    expect([...readTextSplit({ path: writeFile(Buffer.from([0x61, 0xe2, 0x82, 0x0a, 0xff, 0x62])), start: 0, end: 6 })]).toEqual(['a\ufffd', '\ufffdb']);
  });

  it('decodes a multi-byte character split across read chunks', () => {
    const path = writeFile('€𝄞ß\n😀x\n');
    for (const chunkBytes of [1, 2, 3, 5]) expect([...readTextSplit({ path, start: 0, end: 20 }, { chunkBytes })]).toEqual(['€𝄞ß', '😀x']);
  });

  it("follows LineRecordReader: a split skips its first partial line and finishes its last one", () => {
    const path = writeFile('aaaa\nbbbb\r\ncccc\n');
    // A split starting exactly at a line start leaves that line to the previous split (start < p ≤ end).
    expect([...readTextSplit({ path, start: 0, end: 5 })]).toEqual(['aaaa', 'bbbb']);
    expect([...readTextSplit({ path, start: 5, end: 11 })]).toEqual(['cccc']);
    expect([...readTextSplit({ path, start: 11, end: 16 })]).toEqual([]);
    expect([...readTextSplit({ path, start: 2, end: 3 })]).toEqual([]);
    expect([...readTextSplit({ path, start: 0, end: 0 })]).toEqual(['aaaa']);
    expect([...readTextSplit({ path: writeFile('\ufeff'), start: 0, end: 3 })]).toEqual([]);
    expect([...readTextSplit({ path: writeFile('\ufeffa\ufeff\n\r'), start: 0, end: 9 })]).toEqual(['a\ufeff', '']);
  });

  it('plans splits of the target size, a small tail kept in the last split, at least minSplits', () => {
    const path = writeFile('x'.repeat(1_050));
    const ranges = (splits: TextSplit[]) => splits.map((split) => [split.start, split.end]);
    expect(ranges(planTextSplits(path, { targetSplitBytes: 100 })).slice(-2)).toEqual([[900, 1_000], [1_000, 1_050]]);
    expect(planTextSplits(path, { targetSplitBytes: 100 })).toHaveLength(11);
    expect(ranges(planTextSplits(path, { targetSplitBytes: 1_000 }))).toEqual([[0, 1_050]]);
    expect(ranges(planTextSplits(path, { targetSplitBytes: 900 }))).toEqual([[0, 900], [900, 1_050]]);
    expect(planTextSplits(path, { minSplits: 3 }).map((split) => split.end - split.start)).toEqual([350, 350, 350]);
    expect(planTextSplits(path)).toEqual([{ path, start: 0, end: 1_050 }]);
    expect(DEFAULT_TARGET_SPLIT_BYTES).toBe(32 * 1024 * 1024);
  });

  it('expands a directory to its regular files sorted by name, skipping hidden, _ and empty files and subdirectories', () => {
    const folder = join(dir, 'folder');
    mkdirSync(join(folder, 'sub'), { recursive: true });
    for (const [name, content] of [['b.txt', 'b\n'], ['a.txt', 'a1\na2'], ['_SUCCESS', ''], ['.hidden', 'h\n'], ['empty.txt', ''], ['sub/c.txt', 'c\n']]) writeFileSync(join(folder, name!), content!);
    expect(listTextFiles(folder).map((file) => file.path)).toEqual(['a.txt', 'b.txt', 'empty.txt'].map((name) => join(folder, name)));
    const splits = planTextSplits([folder, join(folder, 'sub', 'c.txt')], { targetSplitBytes: 2 });
    expect(linesOf(splits)).toEqual(['a1', 'a2', 'b', 'c']);
    expect(splits.some((split) => split.path.endsWith('empty.txt'))).toBe(false);
  });

  it('refuses a missing path, a line over the limit and bad options with typed errors', () => {
    const missing = join(dir, 'missing.txt');
    expect(() => planTextSplits([missing])).toThrow(SourceFileError);
    expect(() => planTextSplits(missing)).toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND', path: missing }));
    expect(() => [...readTextSplit({ path: missing, start: 0, end: 1 })]).toThrow(expect.objectContaining({ code: 'FILE_NOT_FOUND' }));
    const path = writeFile(`short\n${'y'.repeat(100)}\nok\n`);
    const failure = (() => {
      try {
        return [...readTextSplit({ path, start: 0, end: 200 }, { maxLineBytes: 50, chunkBytes: 16 })];
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(LineTooLongError);
    expect(failure).toMatchObject({ code: 'LINE_TOO_LONG', path, lineStartOffset: 6, maxLineBytes: 50 });
    expect((failure as Error).message).toContain(`${path}: the line starting at byte 6`);
    expect(() => planTextSplits(path, { targetSplitBytes: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_SOURCE_OPTION', option: 'targetSplitBytes' }));
    expect(() => readTextSplit({ path, start: 5, end: 2 })).toThrow(expect.objectContaining({ code: 'INVALID_SOURCE_OPTION' }));
  });

  it('closes the file when iteration stops early and can be iterated again', () => {
    const path = writeFile('1\n2\n3\n');
    const lines = readTextSplit({ path, start: 0, end: 6 });
    for (const line of lines) if (line === '1') break;
    expect([...lines]).toEqual(['1', '2', '3']);
    expect([...lines]).toEqual(['1', '2', '3']);
  });
});
