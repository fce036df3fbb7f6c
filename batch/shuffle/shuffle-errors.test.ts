import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { openSync, ftruncateSync, closeSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { InvalidPartitionError, RecordNotSerializableError, RecordTooLargeError, ShuffleFetchFailedError, WriterAlreadyUsedError } from './errors.js';
import type { MapStatus } from './map-output.js';
import { readShufflePartition } from './shuffle-reader.js';
import { ShuffleWriter } from './shuffle-writer.js';
import { filesIn, makeTempDirectory, removeDirectory, sumAggregator, testPartitioner } from './testing.js';

let directory: string;
beforeEach(() => {
  directory = makeTempDirectory();
});
afterEach(() => removeDirectory(directory));

function writeMapOutputs(count: number): MapStatus[] {
  return Array.from({ length: count }, (_, mapPartition) =>
    new ShuffleWriter<string, number>({ directory, shuffleId: 9, mapPartition, partitioner: testPartitioner(2), memoryLimitBytes: 1 << 20 }).write(
      Array.from({ length: 5000 }, (_, index): [string, number] => [`key-${index % 97}`, index]),
    ),
  );
}

function readAll(mapOutputs: MapStatus[], reducePartition: number): unknown[] {
  return [...readShufflePartition({ mapOutputs, reducePartition, mapSideCombined: false, memoryLimitBytes: 1 << 20, directory })];
}

function fetchFailure(read: () => unknown): ShuffleFetchFailedError {
  try {
    read();
  } catch (error) {
    if (error instanceof ShuffleFetchFailedError) return error;
    throw error;
  }
  throw new Error('expected a ShuffleFetchFailedError');
}

describe('lost or damaged map outputs', () => {
  it('reports a deleted data file as a fetch failure naming the map partition', () => {
    const mapOutputs = writeMapOutputs(3);
    rmSync((mapOutputs[1] as MapStatus).dataPath);
    const error = fetchFailure(() => readAll(mapOutputs, 0));
    expect(error).toMatchObject({ code: 'SHUFFLE_FETCH_FAILED', shuffleId: 9, mapPartition: 1, path: mapOutputs[1]?.dataPath, retriable: true });
  });

  it('reports a deleted index file, a truncated data file and a flipped byte the same way', () => {
    const mapOutputs = writeMapOutputs(3);
    const [first, second, third] = mapOutputs as [MapStatus, MapStatus, MapStatus];
    rmSync(first.indexPath);
    expect(fetchFailure(() => readAll([first], 0))).toMatchObject({ mapPartition: 0, path: first.indexPath });
    const fd = openSync(second.dataPath, 'r+');
    ftruncateSync(fd, 100);
    closeSync(fd);
    expect(fetchFailure(() => readAll([second], 1))).toMatchObject({ mapPartition: 1, path: second.dataPath });
    const bytes = readFileSync(third.dataPath);
    bytes[40] = (bytes[40] as number) ^ 0xff;
    writeFileSync(third.dataPath, bytes);
    expect(fetchFailure(() => readAll([third], 0)).reason).toMatch(/checksum/);
  });

  it('fails an aggregated read the same way and leaves no spill files behind', () => {
    const mapOutputs = writeMapOutputs(2);
    rmSync((mapOutputs[1] as MapStatus).dataPath);
    const reader = readShufflePartition<string, number, number>({ mapOutputs, reducePartition: 0, aggregator: sumAggregator, mapSideCombined: false, memoryLimitBytes: 4096, directory });
    expect(fetchFailure(() => [...reader]).mapPartition).toBe(1);
    expect(filesIn(directory).filter((name) => name.endsWith('.spill'))).toEqual([]);
  });
});

describe('bad records and misuse', () => {
  it('names the type and place of a value that cannot be serialised, and leaves no files', () => {
    const writer = new ShuffleWriter<string, unknown>({ directory, shuffleId: 1, mapPartition: 0, partitioner: testPartitioner(2), memoryLimitBytes: 1 << 20 });
    const records: [string, unknown][] = [['a', 1], ['b', { name: 'x', handlers: [() => 1] }]];
    expect(() => writer.write(records)).toThrow(RecordNotSerializableError);
    try {
      new ShuffleWriter<string, unknown>({ directory, shuffleId: 1, mapPartition: 1, partitioner: testPartitioner(1), memoryLimitBytes: 1 << 20 }).write(records);
    } catch (error) {
      expect(error).toMatchObject({ code: 'RECORD_NOT_SERIALIZABLE', valueType: 'function', path: 'record.value.handlers[0]' });
      expect((error as Error).message).toMatch(/function at record\.value\.handlers\[0\]/);
    }
    expect(filesIn(directory)).toEqual([]);
  });

  it('refuses a record larger than maxRecordBytes', () => {
    const writer = new ShuffleWriter<string, string>({ directory, shuffleId: 1, mapPartition: 0, partitioner: testPartitioner(1), memoryLimitBytes: 1 << 20, maxRecordBytes: 1024 });
    expect(() => writer.write([['small', 'x'], ['huge', 'y'.repeat(5000)]])).toThrow(RecordTooLargeError);
  });

  it('rejects a partitioner answer out of range and a second write', () => {
    const partitioner = { ...testPartitioner(2), getPartition: () => 2 };
    expect(() => new ShuffleWriter({ directory, shuffleId: 1, mapPartition: 0, partitioner, memoryLimitBytes: 1 << 20 }).write([['a', 1]])).toThrow(InvalidPartitionError);
    const writer = new ShuffleWriter<string, number>({ directory, shuffleId: 1, mapPartition: 0, partitioner: testPartitioner(2), memoryLimitBytes: 1 << 20 });
    writer.write([['a', 1]]);
    expect(() => writer.write([['a', 1]])).toThrow(WriterAlreadyUsedError);
  });

  it('rejects a reduce partition the map outputs do not have', () => {
    const mapOutputs = writeMapOutputs(1);
    expect(() => readShufflePartition({ mapOutputs, reducePartition: 2, mapSideCombined: false, memoryLimitBytes: 1 << 20, directory })).toThrow(/reducePartition/);
  });
});
