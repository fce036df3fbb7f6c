import { describe, expect, it } from '@jest/globals';
import type { CompareAndSetResult, Entry } from '../keyspace/keyspace.js';
import { MemoryKeyspace } from '../keyspace/memory-keyspace.js';
import { BatchViewWriter } from './batch-view-writer.js';
import { ViewCatalog } from './catalog.js';
import { InvalidLogPositionError, InvalidViewValueError, UnknownViewError, ViewContentionError } from './errors.js';
import { MAX_VIEW_COMPARE_AND_SET_ATTEMPTS, POINTER_CACHE_MS } from './limits.js';
import { decodeRealtimeState } from './realtime-state.js';
import { RealtimeViewWriter } from './realtime-view-writer.js';
import { ViewReader } from './view-reader.js';
import { realtimeKey } from './view-keys.js';

async function setUp(keyspace = new MemoryKeyspace(), bucketOffsets = 10) {
  let now = 0;
  const options = { keyspace, nowMs: () => now };
  await new ViewCatalog(options).create('words', 'sum', { bucketOffsets });
  return { keyspace, options, writer: new RealtimeViewWriter(options), reader: new ViewReader(options), advance: (ms: number) => void (now += ms) };
}

describe('realtime view writer', () => {
  it('applies each (partition, offset) once, however often it is replayed', async () => {
    const { writer, reader } = await setUp();
    expect(await writer.apply('words', 'the', 1, { partition: 'words-0', offset: 4 })).toEqual({ applied: 1, duplicates: 0, covered: 0, attempts: 1 });
    expect(await writer.apply('words', 'the', 1, { partition: 'words-0', offset: 4 })).toEqual({ applied: 0, duplicates: 1, covered: 0, attempts: 0 });
    await writer.apply('words', 'the', 1, { partition: 'words-1', offset: 4 });
    await writer.applyMany('words', 'the', [3, 4, 5, 6].map((offset) => ({ delta: 2n, position: { partition: 'words-0', offset } })));
    const answer = await reader.get('words', 'the');
    expect(answer.value).toBe(6n);
    expect(answer.realtimeOffsets).toEqual({ 'words-0': 6, 'words-1': 4 });
  });

  it('loses no delta when writers of several partitions race on one key', async () => {
    const { writer, reader } = await setUp();
    const applies: Array<{ partition: string; offset: number }> = [];
    for (let offset = 0; offset < 20; offset += 1) for (const partition of ['p-0', 'p-1', 'p-2']) applies.push({ partition, offset });
    // Per partition in order (the precondition), partitions interleaved.
    await Promise.all(['p-0', 'p-1', 'p-2'].map(async (partition) => {
      for (const position of applies.filter((each) => each.partition === partition)) await writer.apply('words', 'hot', 1, position);
    }));
    expect((await reader.get('words', 'hot')).value).toBe(60n);
  });

  it('counts a replay that lands after later offsets of its key once, given settled offsets', async () => {
    const { writer, reader } = await setUp();
    // Offset 4's tuple was lost with a worker; 5 and 7 went through the restarted one meanwhile,
    // sent while the spout had settled everything below 4.
    await writer.apply('words', 'raven', 1, { partition: 'words-0', offset: 5, settled: 4 });
    await writer.apply('words', 'raven', 1, { partition: 'words-0', offset: 7, settled: 4 });
    expect(await reader.get('words', 'raven')).toMatchObject({ value: 2n, realtimeOffsets: { 'words-0': 7 }, settledOffsets: { 'words-0': 3 } });
    // The timed-out tuple replays: counted, and again only as a duplicate.
    expect(await writer.apply('words', 'raven', 1, { partition: 'words-0', offset: 4, settled: 4 })).toMatchObject({ applied: 1, duplicates: 0 });
    expect(await writer.apply('words', 'raven', 1, { partition: 'words-0', offset: 4, settled: 6 })).toMatchObject({ applied: 0, duplicates: 1 });
    await writer.applyMany('words', 'raven', [7, 9].map((offset) => ({ delta: 1, position: { partition: 'words-0', offset, settled: 8 } })));
    expect(await reader.get('words', 'raven')).toMatchObject({ value: 4n, realtimeOffsets: { 'words-0': 9 }, settledOffsets: { 'words-0': 7 } });
    // Without settled offsets the writer relies on in-order delivery: the same late replay is dropped.
    for (const offset of [5, 7, 4]) await writer.apply('words', 'in-order', 1, { partition: 'words-0', offset });
    expect(await reader.get('words', 'in-order')).toMatchObject({ value: 2n, realtimeOffsets: { 'words-0': 7 }, settledOffsets: { 'words-0': 7 } });
  });

  it('refuses bad positions, out-of-order batches, wrong values and unknown views', async () => {
    const { writer } = await setUp();
    await expect(writer.apply('words', 'k', 1, { partition: 'p', offset: -1 })).rejects.toThrow(InvalidLogPositionError);
    await expect(writer.apply('words', 'k', 1, { partition: '', offset: 0 })).rejects.toThrow(InvalidLogPositionError);
    await expect(writer.apply('words', 'k', 1, { partition: 'p', offset: 1.5 })).rejects.toThrow(InvalidLogPositionError);
    await expect(writer.apply('words', 'k', 1, { partition: 'p', offset: 1, settled: -1 })).rejects.toThrow('settled offset');
    const outOfOrder = [2, 1].map((offset) => ({ delta: 1, position: { partition: 'p', offset } }));
    await expect(writer.applyMany('words', 'k', outOfOrder)).rejects.toThrow(InvalidLogPositionError);
    await expect(writer.apply('words', 'k', 'one', { partition: 'p', offset: 0 })).rejects.toThrow(InvalidViewValueError);
    await expect(writer.apply('nope', 'k', 1, { partition: 'p', offset: 0 })).rejects.toThrow(UnknownViewError);
  });

  it('gives up with ViewContentionError when every compare-and-set loses', async () => {
    /** Another writer changes every realtime record just before each compare-and-set. */
    class RivalKeyspace extends MemoryKeyspace {
      private rivalOffset = 0;
      override async compareAndSet(key: Buffer, expected: Entry | undefined, next: Entry | undefined): Promise<CompareAndSetResult> {
        if (key.includes(':r:')) await this.set(key, { value: Buffer.from(`{"p":[["rival",${this.rivalOffset++},-1,[]]]}`) });
        return super.compareAndSet(key, expected, next);
      }
    }
    const { writer } = await setUp(new RivalKeyspace());
    await expect(writer.apply('words', 'k', 1, { partition: 'p', offset: 0 })).rejects.toThrow(ViewContentionError);
    await expect(writer.apply('words', 'k', 1, { partition: 'p', offset: 0 })).rejects.toThrow(`${MAX_VIEW_COMPARE_AND_SET_ATTEMPTS} attempts`);
  });

  it('drops buckets every retained batch version covers: at publish, and lazily once its cached pointer expires', async () => {
    const { keyspace, options, writer, advance } = await setUp();
    for (let offset = 0; offset < 30; offset += 1) await writer.apply('words', 'k', 1, { partition: 'p', offset });
    const batch = new BatchViewWriter(options);
    for (const [version, cutOff] of [[1, 9], [2, 19]] as const) {
      const load = await batch.begin('words', version, { p: cutOff });
      await load.put('k', cutOff + 1);
      await load.publish();
    }
    const definition = await new ViewCatalog(options).get('words');
    const record = async (key: string) => decodeRealtimeState(definition, (await keyspace.get(realtimeKey('words', Buffer.from(key))))!, key).get('p')!;
    // The sweep pruned up to version 1's cut-off; version 1 stays readable until the next publish.
    expect(await record('k')).toMatchObject({ prunedThrough: 9, lastOffset: 29 });
    expect((await record('k')).buckets.map((bucket) => bucket.index)).toEqual([1, 2]);
    // A writer still on its cached pointer keeps a bucket the batch covers (harmless: never read)...
    await writer.apply('words', 'j', 1, { partition: 'p', offset: 5 });
    expect((await record('j')).buckets.map((bucket) => bucket.index)).toEqual([0]);
    // ...and drops it once the cache expires.
    advance(POINTER_CACHE_MS);
    await writer.apply('words', 'j', 1, { partition: 'p', offset: 31 });
    expect(await record('j')).toMatchObject({ prunedThrough: 9, lastOffset: 31, buckets: [{ index: 3, value: 1n }] });
  });
});
