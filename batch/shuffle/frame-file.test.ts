import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { truncateSync } from 'node:fs';
import { join } from 'node:path';
import { CorruptFrameError } from './errors.js';
import { FrameFileWriter, readFrames } from './frame-file.js';
import { makeTempDirectory, removeDirectory } from './testing.js';

let directory: string;
beforeEach(() => {
  directory = makeTempDirectory();
});
afterEach(() => removeDirectory(directory));

function writeNumbers(path: string, count: number): number {
  const writer = new FrameFileWriter(path, 1 << 20);
  for (let index = 0; index < count; index += 1) writer.append(index, `value-${index}`);
  writer.flush();
  writer.close();
  return writer.positionBytes;
}

describe('frame files', () => {
  it('read back what was appended, in frames of bounded size', () => {
    const path = join(directory, 'a');
    const bytes = writeNumbers(path, 20_000);
    const frames = [...readFrames(path, 0, bytes)];
    expect(frames.length).toBeGreaterThan(3);
    expect(frames.flat()).toEqual(Array.from({ length: 20_000 }, (_, index) => [index, `value-${index}`]));
  });

  it('copy byte ranges of other frame files verbatim', () => {
    const source = join(directory, 'source');
    const bytes = writeNumbers(source, 100);
    const target = join(directory, 'target');
    const writer = new FrameFileWriter(target, 1 << 20);
    writer.append('first', 0);
    writer.copyRange(source, 0, bytes);
    writer.close();
    expect([...readFrames(target, 0, writer.positionBytes)].flat()).toEqual([['first', 0], ...Array.from({ length: 100 }, (_, index) => [index, `value-${index}`])]);
  });

  it('report a truncated file as a corrupt frame', () => {
    const path = join(directory, 'a');
    const bytes = writeNumbers(path, 100);
    truncateSync(path, bytes - 10);
    expect(() => [...readFrames(path, 0, bytes)]).toThrow(CorruptFrameError);
    expect(() => [...readFrames(path, 0, bytes - 10)]).toThrow(/crosses the segment end/);
  });
});
