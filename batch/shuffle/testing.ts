/**
 * Helpers for the shuffle's tests (not exported from index.ts): a value-hashing partitioner,
 * temp directories and an in-memory reference of what a shuffle must produce.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Partitioner } from '../partitioning/partitioner.js';
import type { Aggregator } from './aggregator.js';
import { canonicalKey } from './canonical-key.js';

/** Hashes the canonical key (FNV-1a), so value-equal keys land in the same partition. */
export function testPartitioner(numPartitions: number): Partitioner {
  return {
    numPartitions,
    getPartition(key: unknown): number {
      const text = typeof key === 'string' ? key : canonicalKey(key);
      let hash = 0x811c9dc5;
      for (let index = 0; index < text.length; index += 1) hash = Math.imul(hash ^ text.charCodeAt(index), 0x01000193);
      return (hash >>> 0) % numPartitions;
    },
    equals: (other) => other.numPartitions === numPartitions,
    describe: () => `TestPartitioner(${numPartitions})`,
  };
}

export function makeTempDirectory(): string {
  return mkdtempSync(join(tmpdir(), 'barista-shuffle-'));
}

export function removeDirectory(directory: string): void {
  rmSync(directory, { recursive: true, force: true });
}

export function filesIn(directory: string): string[] {
  return readdirSync(directory).sort();
}

export const sumAggregator: Aggregator<number, number> = {
  createCombiner: (value) => value,
  mergeValue: (sum, value) => sum + value,
  mergeCombiners: (left, right) => left + right,
};

/** groupByKey's aggregator; order of values is not part of the result, so tests sort them. */
export const listAggregator: Aggregator<number, number[]> = {
  createCombiner: (value) => [value],
  mergeValue: (list, value) => {
    list.push(value);
    return list;
  },
  mergeCombiners: (left, right) => left.concat(right),
};

/** Per canonical key: the key and the values it was seen with, in input order. */
export function groupReference<K, V>(records: Iterable<readonly [K, V]>): Map<string, { key: K; values: V[] }> {
  const groups = new Map<string, { key: K; values: V[] }>();
  for (const [key, value] of records) {
    const canonical = canonicalKey(key);
    const group = groups.get(canonical);
    if (group === undefined) groups.set(canonical, { key, values: [value] });
    else group.values.push(value);
  }
  return groups;
}

export const compareNumbers = (left: number, right: number): number => left - right;
export const compareStrings = (left: string, right: string): number => (left < right ? -1 : left > right ? 1 : 0);
