import { describe, expect, it } from '@jest/globals';
import type { Consistency, Entry, Keyspace } from '../keyspace/keyspace.js';
import { MemoryKeyspace } from '../keyspace/memory-keyspace.js';
import { BatchViewWriter } from './batch-view-writer.js';
import { ViewCatalog } from './catalog.js';
import { InvalidViewArgumentError, UnknownViewError, ViewNotOrderedError } from './errors.js';
import { RealtimeViewWriter } from './realtime-view-writer.js';
import { ViewReader } from './view-reader.js';

/** The reader's keyspace: runs `hook` once, right after the reader has read the view pointer and
 * before it reads values (writers use the store directly). */
class PausingKeyspace implements Keyspace {
  hook: (() => Promise<void>) | undefined;
  pointerReads = 0;
  constructor(readonly store: MemoryKeyspace) {}
  async get(key: Buffer, consistency?: Consistency): Promise<Entry | undefined> {
    const entry = await this.store.get(key, consistency);
    if (key.toString().endsWith(':pointer')) {
      this.pointerReads += 1;
      const hook = this.hook;
      this.hook = undefined;
      await hook?.();
    }
    return entry;
  }
  getAll = (key: Buffer) => this.store.getAll(key);
  set = (key: Buffer, entry: Entry) => this.store.set(key, entry);
  delete = (key: Buffer) => this.store.delete(key);
  compareAndSet = (key: Buffer, expected: Entry | undefined, next: Entry | undefined) => this.store.compareAndSet(key, expected, next);
  scan = (cursor: string, count: number) => this.store.scan(cursor, count);
  size = () => this.store.size();
}

async function setUp(spec = 'sum') {
  const store = new MemoryKeyspace();
  await new ViewCatalog({ keyspace: store }).create('v', spec, { bucketOffsets: 10 });
  const realtime = new RealtimeViewWriter({ keyspace: store, nowMs: () => 0 });
  const batch = new BatchViewWriter({ keyspace: store });
  const publish = async (version: number, cutOffs: Record<string, number>, values: Record<string, unknown>) => {
    const load = await batch.begin('v', version, cutOffs);
    for (const [key, value] of Object.entries(values)) await load.put(key, value);
    return load.publish();
  };
  /** Deltas of 1 for `key` at `offsets` of partition p. */
  const ones = async (key: string, ...offsets: number[]) => {
    for (const offset of offsets) await realtime.apply('v', key, 1, { partition: 'p', offset });
  };
  const keyspace = new PausingKeyspace(store);
  return { keyspace, reader: new ViewReader({ keyspace }), publish, ones, realtime };
}

describe('view reader', () => {
  it('answers from realtime alone before the first batch version', async () => {
    const { reader, ones } = await setUp();
    await ones('k', 0, 1, 2);
    expect(await reader.get('v', 'k')).toEqual({ value: 3n, presented: { kind: 'integer', value: 3n }, batchVersion: undefined, cutOffs: {}, realtimeOffsets: { p: 2 }, settledOffsets: { p: 2 } });
    expect(await reader.get('v', 'never')).toMatchObject({ value: 0n, realtimeOffsets: {} });
  });

  it('merges batch ⊕ realtime above the cut-offs, reporting the offsets reflected per partition', async () => {
    const { reader, publish, ones } = await setUp();
    await ones('k', 0, 5, 12, 25);
    await publish(1, { p: 19, q: 9 }, { k: 3 });
    expect(await reader.get('v', 'k')).toMatchObject({ value: 4n, batchVersion: 1, cutOffs: { p: 19, q: 9 }, realtimeOffsets: { p: 25, q: 9 } });
    await publish(2, { p: 29, q: 9 }, { k: 4 });
    expect(await reader.get('v', 'k')).toMatchObject({ value: 4n, batchVersion: 2, realtimeOffsets: { p: 29, q: 9 } });
  });

  it('reports per partition the offset up to which the answer misses nothing: the settled floor or the cut-off', async () => {
    const { reader, publish, realtime } = await setUp();
    // Offset 3 is still in flight (a replay to come): 5 and 12 were sent with 3 not yet settled.
    for (const offset of [0, 5, 12]) await realtime.apply('v', 'k', 1, { partition: 'p', offset, settled: Math.min(offset, 3) });
    expect(await reader.get('v', 'k')).toMatchObject({ value: 3n, realtimeOffsets: { p: 12 }, settledOffsets: { p: 2 } });
    await publish(1, { p: 9 }, { k: 3 });
    expect(await reader.get('v', 'k')).toMatchObject({ value: 4n, realtimeOffsets: { p: 12 }, settledOffsets: { p: 9 } });
  });

  it('still answers exactly from the previous version when a publish lands mid-read', async () => {
    const { keyspace, reader, publish, ones } = await setUp();
    await ones('k', 0, 12, 25);
    await publish(1, { p: 9 }, { k: 1 });
    keyspace.hook = async () => void (await publish(2, { p: 19 }, { k: 2 }));
    expect(await reader.get('v', 'k')).toMatchObject({ value: 3n, batchVersion: 1, realtimeOffsets: { p: 25 } });
    expect(keyspace.pointerReads).toBe(1);
  });

  it('starts over when two publishes retire the version it was reading (realtime record pruned beyond it)', async () => {
    const { keyspace, reader, publish, ones } = await setUp();
    await ones('k', 0, 12, 25);
    await publish(1, { p: 9 }, { k: 1 });
    keyspace.hook = async () => {
      await publish(2, { p: 19 }, { k: 2 });
      await publish(3, { p: 29 }, { k: 3 });
    };
    expect(await reader.get('v', 'k')).toMatchObject({ value: 3n, batchVersion: 3, realtimeOffsets: { p: 29 } });
    expect(keyspace.pointerReads).toBe(2);
  });

  it('starts over when two publishes retire the version it was reading (batch value deleted)', async () => {
    const { keyspace, reader, publish } = await setUp();
    await publish(1, { p: 9 }, { k: 1 });
    keyspace.hook = async () => {
      await publish(2, { p: 19 }, { k: 2 });
      await publish(3, { p: 29 }, { k: 3 });
    };
    expect(await reader.get('v', 'k')).toMatchObject({ value: 3n, batchVersion: 3 });
    expect(keyspace.pointerReads).toBe(3);
  });

  it('ranks keys by merged value, ties by key', async () => {
    const { reader, publish, ones } = await setUp();
    await publish(1, { p: 9 }, { a: 5, b: 3, c: 3, d: 1 });
    await ones('d', 10, 11, 12);
    await ones('e', 13);
    const top = await reader.top('v', 3);
    expect(top.map(({ key, score }) => [key.toString(), score])).toEqual([['a', 5n], ['d', 4n], ['b', 3n]]);
    expect(await reader.top('v', 0)).toEqual([]);
    expect((await reader.top('v', 100)).length).toBe(5);
    await expect(reader.top('v', -1)).rejects.toThrow(InvalidViewArgumentError);
  });

  it('shows topn values as their N highest items, and refuses to rank unordered views', async () => {
    const { reader, realtime, publish } = await setUp('topn:2');
    await publish(1, { p: 9 }, { tags: { red: 4, blue: 1 } });
    await realtime.apply('v', 'tags', ['blue', 'blue', 'green', 'blue'], { partition: 'p', offset: 10 });
    expect((await reader.get('v', 'tags')).presented).toEqual({ kind: 'ranking', entries: [['blue', 4n], ['red', 4n]] });
    await expect(reader.top('v', 1)).rejects.toThrow(ViewNotOrderedError);
    await expect(reader.get('nope', 'k')).rejects.toThrow(UnknownViewError);
  });
});
