import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { ExternalSorter } from './external-sorter.js';
import { MERGE_FAN_IN } from './limits.js';
import { compareNumbers, filesIn, makeTempDirectory, removeDirectory, sumAggregator } from './testing.js';

let directory: string;
beforeEach(() => {
  directory = makeTempDirectory();
});
afterEach(() => removeDirectory(directory));

function sorter(options: { aggregate?: boolean; ordered?: boolean; partitions?: number }): ExternalSorter<number, number, number> {
  return new ExternalSorter<number, number, number>({
    directory,
    spillPrefix: 'test',
    numPartitions: options.partitions ?? 2,
    aggregator: options.aggregate === true ? sumAggregator : undefined,
    keyOrdering: options.ordered === true ? compareNumbers : undefined,
    memoryLimitBytes: 4096,
    maxRecordBytes: 1 << 20,
  });
}

const records = fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: -9, max: 9 })), { maxLength: 2000 });

describe('external sorter', () => {
  it('sorts stably by key across spills (keyOrdering, no aggregator)', () => {
    fc.assert(fc.property(records, (input) => {
      const subject = sorter({ ordered: true, partitions: 1 });
      input.forEach(([key, value]) => subject.insert(0, key, value));
      const output = [...subject.partitionItems(0)].map(({ key, value }) => [key, value]);
      subject.close();
      expect(output).toEqual([...input].sort((a, b) => a[0] - b[0]));
    }), { numRuns: 30 });
  });

  it('combines equal keys across spills and memory (aggregator)', () => {
    fc.assert(fc.property(records, fc.boolean(), (input, ordered) => {
      const subject = sorter({ aggregate: true, ordered, partitions: 1 });
      const expected = new Map<number, number>();
      for (const [key, value] of input) {
        subject.insert(0, key, value);
        expected.set(key, (expected.get(key) ?? 0) + value);
      }
      const output = [...subject.partitionItems(0)].map(({ key, value }): [number, number] => [key, value]);
      subject.close();
      expect(new Map(output)).toEqual(expected);
      expect(output.length).toBe(expected.size);
      if (ordered) expect(output.map(([key]) => key)).toEqual([...expected.keys()].sort(compareNumbers));
    }), { numRuns: 30 });
  });

  it('merges runs in levels so no merge opens more than MERGE_FAN_IN runs, and deletes them on close', () => {
    const subject = sorter({ ordered: true });
    for (let index = 0; index < 60_000; index += 1) subject.insert(index % 2, (index * 7919) % 10_007, index);
    expect(subject.stats.spillCount).toBeGreaterThan(MERGE_FAN_IN * 2);
    expect(subject.stats.runMergeCount).toBeGreaterThan(1);
    expect(filesIn(directory).length).toBeLessThan(2 * MERGE_FAN_IN);
    const keys = [...subject.partitionItems(1)].map(({ key }) => key);
    expect(keys.length).toBe(30_000);
    expect(keys).toEqual([...keys].sort(compareNumbers));
    subject.close();
    expect(filesIn(directory)).toEqual([]);
  });

  it('keeps every record of every partition without an order', () => {
    const subject = sorter({ partitions: 3 });
    for (let index = 0; index < 10_000; index += 1) subject.insert(index % 3, index, index);
    expect(subject.stats.spillCount).toBeGreaterThan(0);
    for (let partition = 0; partition < 3; partition += 1) {
      const keys = [...subject.partitionItems(partition)].map(({ key }) => key).sort(compareNumbers);
      expect(keys).toEqual(Array.from({ length: 10_000 }, (_, index) => index).filter((index) => index % 3 === partition));
    }
    subject.close();
  });
});
