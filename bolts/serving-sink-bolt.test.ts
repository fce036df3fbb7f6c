import { describe, expect, it } from '@jest/globals';
import { createTickTuple, createTuple } from '../core/topology/api/index.js';
import { DEFAULT_STREAM_ID } from '../core/topology/builder/limits.js';
import { copyComponent } from '../core/topology/runtime/component-copy.js';
import { createTestContext, SettlingCollector } from '../core/topology/testing/component-harness.js';
import { KeyspaceUnavailableError } from '../serving/keyspace/errors.js';
import type { CompareAndSetResult, Consistency, Entry } from '../serving/keyspace/keyspace.js';
import { MemoryKeyspace } from '../serving/keyspace/memory-keyspace.js';
import { ViewCatalog, ViewReader } from '../serving/views/index.js';
import { BoltNotPreparedError, InvalidBoltOptionError, InvalidTupleValueError } from './errors.js';
import { ServingSinkBolt } from './serving-sink-bolt.js';

/** Fails the next `failures` realtime compare-and-sets as unavailable. */
class FlakyKeyspace extends MemoryKeyspace {
  failures = 0;
  override async compareAndSet(key: Buffer, expected: Entry | undefined, next: Entry | undefined, consistency?: Consistency): Promise<CompareAndSetResult> {
    if (key.includes(':r:') && this.failures > 0) {
      this.failures -= 1;
      throw new KeyspaceUnavailableError('write', 2, 1);
    }
    return super.compareAndSet(key, expected, next, consistency);
  }
}


const FIELDS = ['view', 'key', 'delta', 'partition', 'offset'];
const delta = (key: unknown, offset: unknown, value: unknown = 1, partition: unknown = 'words-0') => createTuple('counter', DEFAULT_STREAM_ID, FIELDS, ['words', key, value, partition, offset]);

async function setUp() {
  const keyspace = new FlakyKeyspace();
  await new ViewCatalog({ keyspace }).create('words', 'sum', { bucketOffsets: 1 });
  const bolt = new ServingSinkBolt({ keyspace });
  const collector = new SettlingCollector();
  const context = createTestContext(bolt);
  bolt.prepare(context.config, context, collector);
  return { keyspace, bolt, collector, reader: new ViewReader({ keyspace }) };
}

describe('serving sink bolt', () => {
  it('acks each delta once it is in the realtime view', async () => {
    const { bolt, collector, reader } = await setUp();
    const inputs = Array.from({ length: 20 }, (_, offset) => delta(offset % 2 === 0 ? 'even' : 'odd', offset, 2));
    for (const input of inputs) await bolt.execute(input);
    await collector.settled(inputs.length);
    expect(collector.acked).toHaveLength(20);
    expect(collector.failed).toEqual([]);
    expect(await reader.get('words', 'even')).toMatchObject({ value: 20n });
    expect(await reader.get('words', 'odd')).toMatchObject({ value: 20n, realtimeOffsets: { 'words-0': 19 } });
    expect(bolt.inFlight).toBe(0);
  });

  it('fails a delta whose write rejects and the later ones it holds back; the replay counts each once', async () => {
    const { keyspace, bolt, collector, reader } = await setUp();
    keyspace.failures = 1;
    const [first, second] = [delta('k', 0), delta('k', 1)];
    await bolt.execute(first);
    await collector.settled(1);
    await bolt.execute(second);
    await collector.settled(2);
    expect(collector.failed).toEqual([first, second]);
    // Only the real failure is reported; the hold-back is its expected echo.
    expect(collector.errors).toEqual([expect.any(KeyspaceUnavailableError)]);
    await bolt.execute(first);
    await bolt.execute(second);
    await collector.settled(4);
    expect(collector.acked).toEqual([first, second]);
    expect(await reader.get('words', 'k')).toMatchObject({ value: 2n });
  });

  it('passes the spout\'s settled offset on, so a replay arriving after later offsets of its key counts once', async () => {
    const { bolt, collector, reader } = await setUp();
    const withSettled = (offset: number, settled: unknown) => createTuple('map', DEFAULT_STREAM_ID, [...FIELDS, 'settled'], ['words', 'k', 1, 'words-0', offset, settled]);
    // 4's tuple timed out with a dead worker; 5 and 7 were emitted while the spout had settled up to 4.
    const inputs = [withSettled(5, 4), withSettled(7, 4), withSettled(4, 4), withSettled(4, 4)];
    for (const input of inputs) {
      await bolt.execute(input);
      await collector.settled(collector.acked.length + collector.failed.length + 1);
    }
    expect(collector.acked).toEqual(inputs);
    expect(await reader.get('words', 'k')).toMatchObject({ value: 3n, realtimeOffsets: { 'words-0': 7 }, settledOffsets: { 'words-0': 3 } });
    // A null settled offset (an input without one) means in-order delivery, as without the field.
    await bolt.execute(withSettled(9, null));
    await collector.settled(5);
    expect(await reader.get('words', 'k')).toMatchObject({ value: 4n, settledOffsets: { 'words-0': 9 } });
    await bolt.execute(withSettled(10, -2));
    await collector.settled(6);
    expect(collector.errors).toEqual([expect.any(InvalidTupleValueError)]);
  });

  it('fails and reports tuples that are not a delta, acks ticks', async () => {
    const { bolt, collector } = await setUp();
    const bad = [delta(42, 0), delta('k', -1), delta('k', 0, 1, 7)];
    for (const input of bad) await bolt.execute(input);
    const tick = createTickTuple();
    await bolt.execute(tick);
    expect(collector.failed).toEqual(bad);
    expect(collector.errors.every((error) => error instanceof InvalidTupleValueError)).toBe(true);
    expect(collector.acked).toEqual([tick]);
  });

  it('writes to a fixed view with its own field names, through one engine shared by task copies', async () => {
    const keyspace = new MemoryKeyspace();
    await new ViewCatalog({ keyspace }).create('words', 'sum', { bucketOffsets: 1 });
    const template = new ServingSinkBolt({ keyspace, view: 'words', fields: { key: 'word', delta: 'count', partition: 'p', offset: 'o' } });
    const copies = [copyComponent(template), copyComponent(template)];
    expect(copies[0]!.sink).toBe(copies[1]!.sink);
    const collector = new SettlingCollector();
    for (const copy of copies) {
      const context = createTestContext(copy);
      copy.prepare(context.config, context, collector);
    }
    for (const [index, copy] of copies.entries()) await copy.execute(createTuple('counter', DEFAULT_STREAM_ID, ['word', 'count', 'p', 'o'], ['the', 5, 'words-0', index]));
    await collector.settled(2);
    expect(collector.acked).toHaveLength(2);
    expect(await new ViewReader({ keyspace }).get('words', 'the')).toMatchObject({ value: 10n });
  });

  it('checks its options and refuses to execute before prepare', () => {
    const keyspace = new MemoryKeyspace();
    expect(() => new ServingSinkBolt({ keyspace, fields: { key: '' } })).toThrow(InvalidBoltOptionError);
    expect(() => new ServingSinkBolt({ keyspace }).execute(delta('k', 0))).toThrow(BoltNotPreparedError);
  });
});
