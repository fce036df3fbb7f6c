import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { canonicalKey } from './canonical-key.js';
import type { MapStatus } from './map-output.js';
import { readShufflePartition } from './shuffle-reader.js';
import { ShuffleWriter } from './shuffle-writer.js';
import { compareStrings, filesIn, groupReference, listAggregator, makeTempDirectory, removeDirectory, sumAggregator, testPartitioner } from './testing.js';

type Key = string | number | [string, number] | { name: string; tags: string[] };

const keyArbitrary: fc.Arbitrary<Key> = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.integer({ min: -20, max: 20 }),
  fc.tuple(fc.constantFrom('a', 'b'), fc.integer({ min: 0, max: 3 })),
  fc.record({ name: fc.constantFrom('x', 'y'), tags: fc.array(fc.constantFrom('p', 'q'), { maxLength: 2 }) }),
);
const recordsArbitrary = fc.array(fc.tuple(keyArbitrary, fc.integer({ min: -1000, max: 1000 })), { maxLength: 300 });
/** Map tasks' inputs, reduce partition count and a memory budget small enough to spill sometimes. */
const shuffleArbitrary = fc.record({
  mapInputs: fc.array(recordsArbitrary, { minLength: 1, maxLength: 4 }),
  numPartitions: fc.integer({ min: 1, max: 5 }),
  memoryLimitBytes: fc.constantFrom(4096, 16 * 1024, 1024 * 1024),
});

let directory: string;
beforeEach(() => {
  directory = makeTempDirectory();
});
afterEach(() => removeDirectory(directory));

function writeAll<C>(mapInputs: [Key, number][][], numPartitions: number, memoryLimitBytes: number, aggregator?: typeof sumAggregator | typeof listAggregator, sorted = false): MapStatus[] {
  return mapInputs.map((records, mapPartition) =>
    new ShuffleWriter<Key, number, C>({
      directory,
      shuffleId: 7,
      mapPartition,
      partitioner: testPartitioner(numPartitions),
      aggregator: aggregator as never,
      keyOrdering: sorted ? (left, right) => compareStrings(canonicalKey(left), canonicalKey(right)) : undefined,
      memoryLimitBytes,
    }).write(records),
  );
}

function readAll<C>(mapOutputs: MapStatus[], numPartitions: number, memoryLimitBytes: number, options: { aggregator?: unknown; mapSideCombined?: boolean; sorted?: boolean }): [Key, C][][] {
  return Array.from({ length: numPartitions }, (_, reducePartition) => [
    ...readShufflePartition<Key, number, C>({
      mapOutputs,
      reducePartition,
      aggregator: options.aggregator as never,
      mapSideCombined: options.mapSideCombined ?? false,
      keyOrdering: options.sorted === true ? (left, right) => compareStrings(canonicalKey(left), canonicalKey(right)) : undefined,
      memoryLimitBytes,
      directory,
    }),
  ]);
}

const byCanonicalKey = <T>(records: [Key, T][]): [string, T][] => records.map(([key, value]): [string, T] => [canonicalKey(key), value]).sort((a, b) => compareStrings(a[0], b[0]));

/** Records as sorted "canonical key = value" strings: a multiset to compare. */
const recordStrings = (records: [Key, unknown][]): string[] => records.map(([key, value]) => `${canonicalKey(key)}=${JSON.stringify(value)}`).sort();

describe('shuffle round trip (writer → files → reader)', () => {
  it('delivers every record to the partition of its key, unchanged, without an aggregator', () => {
    fc.assert(
      fc.property(shuffleArbitrary, ({ mapInputs, numPartitions, memoryLimitBytes }) => {
        const partitioner = testPartitioner(numPartitions);
        const partitions = readAll<number>(writeAll(mapInputs, numPartitions, memoryLimitBytes), numPartitions, memoryLimitBytes, {});
        partitions.forEach((records, partition) => {
          const expected = mapInputs.flat().filter(([key]) => partitioner.getPartition(key) === partition);
          expect(recordStrings(records)).toEqual(recordStrings(expected));
        });
        expect(filesIn(directory).filter((name) => !/\.(data|index)$/.test(name))).toEqual([]);
        removeDirectory(directory);
        directory = makeTempDirectory();
      }),
      { numRuns: 40 },
    );
  });

  it('sums values per key, with and without map-side combine, equal to an in-memory reduce', () => {
    fc.assert(
      fc.property(shuffleArbitrary, fc.boolean(), ({ mapInputs, numPartitions, memoryLimitBytes }, mapSide) => {
        const mapOutputs = writeAll(mapInputs, numPartitions, memoryLimitBytes, mapSide ? sumAggregator : undefined);
        const partitions = readAll<number>(mapOutputs, numPartitions, memoryLimitBytes, { aggregator: sumAggregator, mapSideCombined: mapSide });
        const expected = [...groupReference(mapInputs.flat())].map(([canonical, group]): [string, number] => [canonical, group.values.reduce((a, b) => a + b, 0)]);
        expect(partitions.flatMap((records) => byCanonicalKey(records))).toEqual(expect.arrayContaining(expected));
        expect(partitions.flat().length).toBe(expected.length);
      }),
      { numRuns: 40 },
    );
  });

  it('groups values per key (groupByKey) and yields keys in order when given a key ordering', () => {
    fc.assert(
      fc.property(shuffleArbitrary, fc.boolean(), ({ mapInputs, numPartitions, memoryLimitBytes }, mapSide) => {
        const mapOutputs = writeAll(mapInputs, numPartitions, memoryLimitBytes, mapSide ? listAggregator : undefined);
        const partitions = readAll<number[]>(mapOutputs, numPartitions, memoryLimitBytes, { aggregator: listAggregator, mapSideCombined: mapSide, sorted: true });
        const reference = groupReference(mapInputs.flat());
        for (const records of partitions) {
          const canonicals = records.map(([key]) => canonicalKey(key));
          expect(canonicals).toEqual([...canonicals].sort(compareStrings));
          for (const [key, values] of records) expect([...values].sort()).toEqual([...(reference.get(canonicalKey(key))?.values ?? [])].sort());
        }
        expect(partitions.flat().length).toBe(reference.size);
      }),
      { numRuns: 40 },
    );
  });

  it('sorts every record by key without an aggregator (sortByKey), keeping duplicates', () => {
    fc.assert(
      fc.property(shuffleArbitrary, ({ mapInputs, numPartitions, memoryLimitBytes }) => {
        const mapOutputs = writeAll(mapInputs, numPartitions, memoryLimitBytes, undefined, true);
        const partitions = readAll<number>(mapOutputs, numPartitions, memoryLimitBytes, { sorted: true });
        const all = partitions.flat();
        expect(all.length).toBe(mapInputs.flat().length);
        for (const records of partitions) {
          const canonicals = records.map(([key]) => canonicalKey(key));
          expect(canonicals).toEqual([...canonicals].sort(compareStrings));
        }
        expect(recordStrings(all)).toEqual(recordStrings(mapInputs.flat()));
      }),
      { numRuns: 40 },
    );
  });
});
