import { describe, expect, it } from '@jest/globals';
import type { Consistency, Entry } from '../keyspace/keyspace.js';
import { MemoryKeyspace } from '../keyspace/memory-keyspace.js';
import { BatchViewWriter } from './batch-view-writer.js';
import { ViewCatalog } from './catalog.js';
import { BatchLoadClosedError, CutOffRegressionError, StaleBatchVersionError, UnalignedCutOffError, UnknownViewError } from './errors.js';
import { MAX_CONCURRENT_BATCH_WRITES } from './limits.js';
import { alignCutOffs } from './log-position.js';
import { ViewReader } from './view-reader.js';
import { parseViewDataKey } from './view-keys.js';

async function setUp(keyspace = new MemoryKeyspace()) {
  const options = { keyspace };
  await new ViewCatalog(options).create('words', 'sum', { bucketOffsets: 10 });
  return { keyspace, writer: new BatchViewWriter(options), reader: new ViewReader(options) };
}

async function load(writer: BatchViewWriter, version: number, cutOffs: Record<string, number>, values: Record<string, number>) {
  const batch = await writer.begin('words', version, cutOffs);
  for (const [key, value] of Object.entries(values)) await batch.put(key, value);
  return batch;
}

async function versionsStored(keyspace: MemoryKeyspace): Promise<number[]> {
  const { keys } = await keyspace.scan('0', 10_000);
  const versions = new Set(keys.flatMap((key) => { const parsed = parseViewDataKey('words', key); return parsed?.kind === 'batch' ? [parsed.version] : []; }));
  return [...versions].sort((a, b) => a - b);
}

describe('batch view writer', () => {
  it('makes a version visible to readers only when it is published', async () => {
    const { writer, reader } = await setUp();
    const batch = await load(writer, 1, { 'words-0': 99 }, { the: 42, raven: 7, zero: 0 });
    expect(batch.keysWritten).toBe(2);
    expect((await reader.get('words', 'the')).batchVersion).toBeUndefined();
    expect(await batch.publish()).toEqual({ version: 1, previousVersion: undefined, retiredKeys: 0, prunedRecords: 0 });
    expect(await reader.get('words', 'the')).toMatchObject({ value: 42n, batchVersion: 1, cutOffs: { 'words-0': 99 }, realtimeOffsets: { 'words-0': 99 } });
    await expect(batch.put('late', 1)).rejects.toThrow(BatchLoadClosedError);
    await expect(batch.publish()).rejects.toThrow(BatchLoadClosedError);
  });

  it('keeps the previous version for readers still on it, and deletes older and abandoned ones', async () => {
    const { keyspace, writer } = await setUp();
    await (await load(writer, 1, { p: 9 }, { a: 1 })).publish();
    await (await load(writer, 2, { p: 19 }, { a: 2 })).publish();
    await load(writer, 3, { p: 19 }, { a: 3 }); // a job that died before publishing
    const loading = await load(writer, 5, { p: 29 }, { a: 5 }); // a job still loading
    expect(await versionsStored(keyspace)).toEqual([1, 2, 3, 5]);
    const result = await (await load(writer, 4, { p: 29 }, { a: 4 })).publish();
    expect(result).toEqual({ version: 4, previousVersion: 2, retiredKeys: 2, prunedRecords: 0 });
    expect(await versionsStored(keyspace)).toEqual([2, 4, 5]);
    expect((await loading.publish()).previousVersion).toBe(4);
  });

  it('never lets a stale writer replace a newer pointer', async () => {
    const { writer, reader } = await setUp();
    const slow = await load(writer, 1, { p: 9 }, { a: 1 });
    await (await load(writer, 2, { p: 9 }, { a: 2 })).publish();
    await expect(slow.publish()).rejects.toThrow(StaleBatchVersionError);
    await expect(writer.begin('words', 2, { p: 9 })).rejects.toThrow('batch version 2 of view \'words\' is not newer than the live version 2');
    expect((await reader.get('words', 'a')).value).toBe(2n);
  });

  it('refuses cut-offs below the live ones, or inside a realtime bucket', async () => {
    const { writer } = await setUp();
    await (await load(writer, 1, { p: 19, q: 9 }, {})).publish();
    await expect(writer.begin('words', 2, { p: 29 })).rejects.toThrow(CutOffRegressionError);
    await expect(writer.begin('words', 2, { p: 29, q: 15 })).rejects.toThrow(UnalignedCutOffError);
    await expect(writer.begin('words', 2, { p: 29, q: 15 })).rejects.toThrow('use 9 (alignCutOffs does this)');
    expect(alignCutOffs({ p: 35, q: 9, r: -1, s: 3 }, 10)).toEqual({ p: 29, q: 9, r: -1, s: -1 });
    expect(await writer.cutOffsFor('words', { p: 35, q: 9 })).toEqual({ p: 29, q: 9 });
    await expect(writer.begin('nope', 1, {})).rejects.toThrow(UnknownViewError);
    await expect(writer.begin('words', -1, {})).rejects.toThrow('batch version = -1');
  });

  it(`keeps at most ${MAX_CONCURRENT_BATCH_WRITES} writes in flight`, async () => {
    class SlowKeyspace extends MemoryKeyspace {
      inFlight = 0;
      maxInFlight = 0;
      override async set(key: Buffer, entry: Entry, consistency?: Consistency): Promise<void> {
        this.maxInFlight = Math.max(this.maxInFlight, ++this.inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        this.inFlight -= 1;
        return super.set(key, entry, consistency);
      }
    }
    const keyspace = new SlowKeyspace();
    const { writer, reader } = await setUp(keyspace);
    const batch = await writer.begin('words', 1, {});
    // Not awaited: a job that fires puts as fast as it can is still bounded, and publish waits for them all.
    const puts = Array.from({ length: 500 }, (_, index) => batch.put(`key-${index}`, index + 1));
    await batch.publish();
    await Promise.all(puts);
    expect(batch.keysWritten).toBe(500);
    expect(keyspace.maxInFlight).toBe(MAX_CONCURRENT_BATCH_WRITES);
    expect((await reader.get('words', 'key-499')).value).toBe(500n);
  });

  it('fails the load when a write fails, and never publishes it', async () => {
    class FailingKeyspace extends MemoryKeyspace {
      override async set(key: Buffer, entry: Entry): Promise<void> {
        if (key.toString().endsWith('bad')) throw new Error('disk on fire');
        return super.set(key, entry);
      }
    }
    const { writer, reader } = await setUp(new FailingKeyspace());
    const batch = await load(writer, 1, {}, { good: 1, bad: 2 });
    const failure = await batch.publish().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(BatchLoadClosedError);
    expect(((failure as Error).cause as Error).message).toBe('disk on fire');
    await expect(batch.put('more', 1)).rejects.toThrow(BatchLoadClosedError);
    expect((await reader.get('words', 'good')).batchVersion).toBeUndefined();
  });
});
