import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readShufflePartition } from './shuffle-reader.js';
import { ShuffleWriter } from './shuffle-writer.js';
import { compareNumbers, filesIn, makeTempDirectory, removeDirectory, sumAggregator, testPartitioner } from './testing.js';

/** A tiny budget against tens of megabytes: every stage must spill, merge and still agree. */
const MEMORY_LIMIT_BYTES = 64 * 1024;
const MAP_TASKS = 4;
const NUM_PARTITIONS = 3;

let directory: string;
beforeEach(() => {
  directory = makeTempDirectory();
});
afterEach(() => removeDirectory(directory));

/** Deterministic pseudo-random words: `count` records of map task `task`, keys from `vocabulary`. */
function* wordRecords(task: number, count: number, vocabulary: number): Generator<[string, number]> {
  let state = 0x9e3779b9 ^ task;
  for (let index = 0; index < count; index += 1) {
    state = Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) ^ index;
    yield [`word-${(state >>> 0) % vocabulary}`, 1];
  }
}

describe('shuffle under a 64 KiB memory limit', () => {
  it('counts words over ~50 MB of records exactly, spilling on both sides', () => {
    const recordsPerTask = 700_000; // ~10 characters per word + an 8-byte count → ~12.6 MB per task, ~50 MB in all
    const vocabulary = 120_000;
    const reference = new Map<string, number>();
    const writers = Array.from({ length: MAP_TASKS }, (_, mapPartition) => new ShuffleWriter<string, number, number>({
      directory, shuffleId: 1, mapPartition, partitioner: testPartitioner(NUM_PARTITIONS), aggregator: sumAggregator, memoryLimitBytes: MEMORY_LIMIT_BYTES,
    }));
    const mapOutputs = writers.map((writer, task) => writer.write(wordRecords(task, recordsPerTask, vocabulary)));
    for (let task = 0; task < MAP_TASKS; task += 1) {
      for (const [word] of wordRecords(task, recordsPerTask, vocabulary)) reference.set(word, (reference.get(word) ?? 0) + 1);
    }
    for (const writer of writers) {
      expect(writer.stats.recordsRead).toBe(recordsPerTask);
      expect(writer.stats.spillCount).toBeGreaterThan(10);
      expect(writer.stats.runMergeCount).toBeGreaterThan(0);
    }
    const counts = new Map<string, number>();
    let duplicateKeys = 0;
    for (let reducePartition = 0; reducePartition < NUM_PARTITIONS; reducePartition += 1) {
      const reader = readShufflePartition<string, number, number>({ mapOutputs, reducePartition, aggregator: sumAggregator, mapSideCombined: true, memoryLimitBytes: MEMORY_LIMIT_BYTES, directory });
      for (const [word, count] of reader) {
        if (counts.has(word)) duplicateKeys += 1;
        counts.set(word, count);
      }
      expect(reader.stats.spillCount).toBeGreaterThan(0);
    }
    expect(duplicateKeys).toBe(0);
    expect(counts).toEqual(reference);
    expect(filesIn(directory).filter((name) => name.endsWith('.spill') || name.includes('.tmp-'))).toEqual([]);
  }, 60_000);

  it('sorts ~50 MB of records by key with an external merge sort on both sides', () => {
    const recordsPerTask = 250_000;
    const payload = 'x'.repeat(40);
    function* numberedRecords(task: number): Generator<[number, string]> {
      for (let index = 0; index < recordsPerTask; index += 1) yield [Math.imul(index + task * recordsPerTask, 0x9e3779b1) >>> 8, payload];
    }
    const mapOutputs = Array.from({ length: MAP_TASKS }, (_, mapPartition) => {
      const writer = new ShuffleWriter<number, string>({
        directory, shuffleId: 2, mapPartition, partitioner: testPartitioner(NUM_PARTITIONS), keyOrdering: compareNumbers, memoryLimitBytes: MEMORY_LIMIT_BYTES,
      });
      const status = writer.write(numberedRecords(mapPartition));
      expect(writer.stats.spillCount).toBeGreaterThan(10);
      return status;
    });
    let total = 0;
    let keySum = 0;
    let outOfOrder = 0;
    for (let reducePartition = 0; reducePartition < NUM_PARTITIONS; reducePartition += 1) {
      let previous = -Infinity;
      for (const [key, value] of readShufflePartition({ mapOutputs, reducePartition, mapSideCombined: false, keyOrdering: compareNumbers, memoryLimitBytes: MEMORY_LIMIT_BYTES, directory })) {
        if (key < previous || value !== payload) outOfOrder += 1;
        previous = key;
        total += 1;
        keySum += key;
      }
    }
    let expectedSum = 0;
    for (let task = 0; task < MAP_TASKS; task += 1) for (const [key] of numberedRecords(task)) expectedSum += key;
    expect(outOfOrder).toBe(0);
    expect(total).toBe(MAP_TASKS * recordsPerTask);
    expect(keySum).toBe(expectedSum);
  }, 60_000);
});
