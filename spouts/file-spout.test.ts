import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestContext, RecordingSpoutCollector } from '../core/topology/testing/component-harness.js';
import { until } from '../test/support/until.js';
import { FileSpout, readFileCheckpoint, type FileSpoutOptions } from './file-spout.js';

let dir: string;
let path: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'file-spout-'));
  path = join(dir, 'input.txt');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function openSpout(options: Partial<FileSpoutOptions> = {}): Promise<{ spout: FileSpout; collector: RecordingSpoutCollector }> {
  const spout = new FileSpout({ path, ...options });
  const collector = new RecordingSpoutCollector();
  const context = createTestContext(spout);
  await spout.open(context.config, context, collector);
  return { spout, collector };
}

const lines = (collector: RecordingSpoutCollector) => collector.emitted.map((emit) => [emit.messageId, emit.values[0]]);

/** Byte offset of each line of `text`. */
function offsetsOf(text: string): Map<string, number> {
  const offsets = new Map<string, number>();
  let offset = 0;
  for (const line of text.split('\n').slice(0, -1)) {
    offsets.set(line, offset);
    offset += Buffer.byteLength(line) + 1;
  }
  return offsets;
}

describe('file spout', () => {
  it('emits each whole line with its byte offset, and waits for the newline of a partial last line', async () => {
    await writeFile(path, 'alpha\nbéta\r\ngam');
    const { spout, collector } = await openSpout();
    await spout.nextTuple();
    expect(lines(collector)).toEqual([[0, 'alpha'], [6, 'béta']]);
    await spout.nextTuple();
    expect(collector.emitted).toHaveLength(2);
    await appendFile(path, 'ma\ndelta\n');
    await spout.nextTuple();
    expect(lines(collector)).toEqual([[0, 'alpha'], [6, 'béta'], [13, 'gamma'], [19, 'delta']]);
    await spout.close();
  });

  it('waits for a file that does not exist yet', async () => {
    const { spout, collector } = await openSpout();
    await spout.nextTuple();
    expect(collector.emitted).toHaveLength(0);
    await writeFile(path, 'first\n');
    await spout.nextTuple();
    expect(lines(collector)).toEqual([[0, 'first']]);
    await spout.close();
  });

  it('emits a failed line again with the same offset', async () => {
    await writeFile(path, 'one\ntwo\nthree\n');
    const { spout, collector } = await openSpout();
    await spout.nextTuple();
    spout.ack(0);
    spout.fail(4);
    spout.ack(8);
    await spout.nextTuple();
    expect(lines(collector).slice(3)).toEqual([[4, 'two']]);
    spout.ack(4);
    await spout.close();
    expect(await readFileCheckpoint(`${path}.checkpoint`)).toBe(14);
  });

  it('checkpoints only below the first unacked line, and resumes there after close', async () => {
    await writeFile(path, 'a\nb\nc\nd\n');
    const first = await openSpout();
    await first.spout.nextTuple();
    first.spout.ack(0);
    first.spout.ack(4); // 'c' acked, 'b' (2) not: the checkpoint must stop at 2
    await first.spout.close();
    expect(await readFileCheckpoint(`${path}.checkpoint`)).toBe(2);
    const second = await openSpout();
    await second.spout.nextTuple();
    expect(lines(second.collector)).toEqual([[2, 'b'], [4, 'c'], [6, 'd']]);
    await second.spout.close();
  });

  it('after a crash (no close) re-emits every line not covered by the checkpoint, and none below it', async () => {
    const text = Array.from({ length: 40 }, (_, index) => `line ${index}`).join('\n') + '\n';
    const offsets = offsetsOf(text);
    await writeFile(path, text);
    const crashed = await openSpout({ checkpointIntervalMs: 1, emitsPerCall: 10 });
    await crashed.spout.nextTuple();
    await crashed.spout.nextTuple();
    const emittedBefore = crashed.collector.emitted.map((emit) => emit.messageId as number);
    expect(emittedBefore).toHaveLength(20);
    const unacked = new Set([offsets.get('line 7')!, offsets.get('line 15')!]);
    for (const offset of emittedBefore) if (!unacked.has(offset)) crashed.spout.ack(offset);
    await until('the checkpoint reaches line 7', async () => {
      await crashed.spout.nextTuple();
      return (await readFileCheckpoint(`${path}.checkpoint`)) === offsets.get('line 7');
    });
    // Crash: the instance is dropped with lines in flight, never closed.
    const resumed = await openSpout({ emitsPerCall: 100 });
    await resumed.spout.nextTuple();
    const emittedAfter = resumed.collector.emitted.map((emit) => emit.values[0] as string);
    expect(emittedAfter[0]).toBe('line 7');
    expect(emittedAfter).toEqual([...offsets.keys()].slice(7));
    const acked = emittedBefore.filter((offset) => !unacked.has(offset));
    const seen = new Set([...acked, ...resumed.collector.emitted.map((emit) => emit.messageId as number)]);
    expect(seen).toEqual(new Set(offsets.values()));
    await resumed.spout.close();
    await crashed.spout.close(); // only to release its file handle, after the checks

  });

  it('stops reading at its bound of pending lines until acks free it', async () => {
    await writeFile(path, 'a\nb\nc\nd\n');
    const { spout, collector } = await openSpout({ maxPendingLines: 2 });
    await spout.nextTuple();
    expect(collector.emitted).toHaveLength(2);
    await spout.nextTuple();
    expect(collector.emitted).toHaveLength(2);
    spout.ack(0);
    await spout.nextTuple();
    expect(lines(collector)).toEqual([[0, 'a'], [2, 'b'], [4, 'c']]);
    await spout.close();
  });

  it('refuses a corrupt checkpoint with its code and does not guess', async () => {
    await writeFile(path, 'a\n');
    await writeFile(`${path}.checkpoint`, '{"offset":');
    await expect(openSpout()).rejects.toMatchObject({ code: 'CHECKPOINT_CORRUPT' });
    await writeFile(`${path}.checkpoint`, '{"offset":-3}');
    await expect(openSpout()).rejects.toMatchObject({ code: 'CHECKPOINT_CORRUPT' });
  });

  it('refuses to run with more than one task', async () => {
    const spout = new FileSpout({ path });
    const context = createTestContext(spout, { componentTaskIds: [1, 2] });
    await expect(spout.open(context.config, context, new RecordingSpoutCollector())).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});
