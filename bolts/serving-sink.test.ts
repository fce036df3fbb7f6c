import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { KeyspaceTimeoutError, KeyspaceUnavailableError } from '../serving/keyspace/errors.js';
import type { CompareAndSetResult, Consistency, Entry } from '../serving/keyspace/keyspace.js';
import { MemoryKeyspace } from '../serving/keyspace/memory-keyspace.js';
import { InvalidViewValueError, ViewCatalog, ViewReader } from '../serving/views/index.js';
import { HeldBackError, ServingSink, type ViewDelta } from './serving-sink.js';

/** Fails realtime compare-and-sets as `faults` says: before writing, or after (the reply is lost). */
class FlakyKeyspace extends MemoryKeyspace {
  faults: Array<'ok' | 'unavailable' | 'lost-reply'> = [];
  updates = 0;
  override async compareAndSet(key: Buffer, expected: Entry | undefined, next: Entry | undefined, consistency?: Consistency): Promise<CompareAndSetResult> {
    if (!key.includes(':r:')) return super.compareAndSet(key, expected, next, consistency);
    this.updates += 1;
    const fault = this.faults.shift() ?? 'ok';
    if (fault === 'unavailable') throw new KeyspaceUnavailableError('write', 2, 1);
    const result = await super.compareAndSet(key, expected, next, consistency);
    if (fault === 'lost-reply') throw new KeyspaceTimeoutError('compare-and-set', 100);
    return result;
  }
}

async function setUp(spec = 'sum') {
  const keyspace = new FlakyKeyspace();
  await new ViewCatalog({ keyspace }).create('words', spec, { bucketOffsets: 1 });
  return { keyspace, sink: new ServingSink({ keyspace }), reader: new ViewReader({ keyspace }) };
}

const delta = (key: string, offset: number, partition = 'p-0', value: unknown = 1): ViewDelta => ({ view: 'words', key, delta: value, position: { partition, offset } });

describe('serving sink', () => {
  it('applies one key’s deltas in arrival order, several per compare-and-set', async () => {
    const { keyspace, sink, reader } = await setUp();
    await Promise.all(Array.from({ length: 100 }, (_, offset) => sink.write(delta('the', offset))));
    expect(await reader.get('words', 'the')).toMatchObject({ value: 100n, realtimeOffsets: { 'p-0': 99 } });
    expect(keyspace.updates).toBeLessThan(10);
    expect(sink.busyKeys).toBe(0);
  });

  it('holds back later offsets of a partition after a failure, until the failed one is replayed', async () => {
    const { keyspace, sink, reader } = await setUp();
    await sink.write(delta('k', 0));
    keyspace.faults = ['unavailable'];
    await expect(sink.write(delta('k', 1))).rejects.toThrow(KeyspaceUnavailableError);
    await expect(sink.write(delta('k', 2))).rejects.toThrow(HeldBackError);
    await sink.write(delta('k', 0, 'p-1')); // other partitions go on
    expect(sink.busyKeys).toBe(1);
    // The spout replays 1 and 2; without the hold, 2 would have been applied and 1 lost as a "duplicate".
    await Promise.all([sink.write(delta('k', 1)), sink.write(delta('k', 2))]);
    expect(await reader.get('words', 'k')).toMatchObject({ value: 4n, realtimeOffsets: { 'p-0': 2, 'p-1': 0 } });
    expect(sink.busyKeys).toBe(0);
  });

  it('fails a delta the view refuses alone, holding nothing back', async () => {
    const { sink, reader } = await setUp();
    const writes = [sink.write(delta('k', 0)), sink.write(delta('k', 1, 'p-0', 'not a number')), sink.write(delta('k', 2))];
    const settled = await Promise.allSettled(writes);
    expect(settled.map((each) => each.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(InvalidViewValueError);
    expect((await reader.get('words', 'k')).value).toBe(2n);
  });

  it('counts every record exactly once when applies fail at random and the spout replays failed tuples (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.constantFrom('a', 'b'), partition: fc.constantFrom('p-0', 'p-1') }), { minLength: 1, maxLength: 30 }),
        fc.array(fc.constantFrom('ok' as const, 'ok' as const, 'unavailable' as const, 'lost-reply' as const), { maxLength: 60 }),
        async (records, faults) => {
          const { keyspace, sink, reader } = await setUp();
          keyspace.faults = [...faults];
          const next = new Map<string, number>();
          const log = records.map(({ key, partition }) => {
            const offset = next.get(partition) ?? 0;
            next.set(partition, offset + 1);
            return delta(key, offset, partition);
          });
          // A spout that emits everything, then re-emits the failed tuples (in log order) until all are acked.
          let pending = log;
          for (let round = 0; pending.length > 0; round += 1) {
            expect(round).toBeLessThan(100);
            const results = await Promise.allSettled(pending.map((item) => sink.write(item)));
            pending = pending.filter((_, index) => results[index]!.status === 'rejected');
          }
          for (const key of ['a', 'b']) {
            const answer = await reader.get('words', key);
            expect(answer.value).toBe(BigInt(log.filter((item) => item.key === key).length));
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
