import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LineTooLongError } from './errors.js';
import { forEachLineOfSplit } from './text-split-blocks.js';
import { planTextSplits, readTextSplit } from './text-splits.js';

function blockLines(path: string, targetSplitBytes: number, blockBytes: number): string[][] {
  return planTextSplits(path, { targetSplitBytes }).map((split) => {
    const lines: string[] = [];
    forEachLineOfSplit(split, (line) => lines.push(line), { blockBytes });
    return lines;
  });
}

function referenceLines(path: string, targetSplitBytes: number): string[][] {
  return planTextSplits(path, { targetSplitBytes }).map((split) => [...readTextSplit(split)]);
}

describe('forEachLineOfSplit', () => {
  it('pushes exactly the lines readTextSplit yields, split by split, for random text, bytes, split and block sizes', () => {
    const directory = mkdtempSync(join(tmpdir(), 'barista-blocks-'));
    try {
      const line = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 30 }), fc.string({ maxLength: 5 }).map((s) => `${s}\r`), fc.constant(''), fc.constant('\ufeffbom'));
      const textFile = fc.tuple(fc.array(line, { maxLength: 40 }), fc.boolean()).map(([lines, trailing]) => Buffer.from(lines.join('\n') + (trailing ? '\n' : '')));
      const rawFile = fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes));
      fc.assert(
        fc.property(fc.oneof(textFile, rawFile), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 48 }), fc.boolean(), (content, splitBytes, blockBytes, bom) => {
          const path = join(directory, 'input.txt');
          writeFileSync(path, bom ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), content]) : content);
          expect(blockLines(path, splitBytes, blockBytes)).toEqual(referenceLines(path, splitBytes));
        }),
        { numRuns: 400 },
      );
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('refuses a line longer than the limit, naming the file and the line start', () => {
    const directory = mkdtempSync(join(tmpdir(), 'barista-blocks-'));
    try {
      const path = join(directory, 'long.txt');
      writeFileSync(path, `short\n${'x'.repeat(100)}\nend\n`);
      const [split] = planTextSplits(path);
      expect(() => forEachLineOfSplit(split!, () => undefined, { maxLineBytes: 50, blockBytes: 16 })).toThrow(LineTooLongError);
      expect(() => forEachLineOfSplit(split!, () => undefined, { maxLineBytes: 50, blockBytes: 4096 })).toThrow(/starting at byte 6/);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
