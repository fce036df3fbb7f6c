import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BatchContext } from '../context/batch-context.js';
import { defaultOrdering } from '../partitioning/ordering.js';
import { JobFailedError } from '../scheduler/errors.js';
import { tokenize } from '../../core/text/tokenize.js';
import { oracleWordCount } from '../../test/support/word-count-oracle.js';

const RAVEN = new URL('../../examples/wordcount/poems/raven.txt', import.meta.url).pathname;

let sc: BatchContext;
beforeEach(() => {
  sc = new BatchContext({ slots: 2, defaultParallelism: 3 });
});
afterEach(async () => {
  await sc.stop();
});

const sortPairs = <K, V>(pairs: [K, V][]): [K, V][] => [...pairs].sort((a, b) => defaultOrdering(a[0], b[0]) || defaultOrdering(a[1], b[1]));

describe('RDD transformations and actions', () => {
  it('counts the words of The Raven exactly as the oracle does (flatMap → map → reduceByKey)', async () => {
    const counts = sc.textFile(RAVEN, 4).flatMap(tokenize).map((word): [string, number] => [word, 1]).reduceByKey((a, b) => a + b);
    expect(new Map(await counts.collect())).toEqual(oracleWordCount(readFileSync(RAVEN, 'utf8')));
  });

  it('agrees with plain array code on random data for map, filter, flatMap, distinct, union, count, reduce, fold, aggregate', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 60 }), fc.integer({ min: 1, max: 5 }), async (values, slices) => {
        const rdd = sc.parallelize(values, slices);
        expect(await rdd.map((x) => x * 2).filter((x) => x % 3 !== 0).collect()).toEqual(values.map((x) => x * 2).filter((x) => x % 3 !== 0));
        expect(await rdd.flatMap((x) => [x, x]).count()).toBe(values.length * 2);
        expect((await rdd.distinct(2).collect()).sort((a, b) => a - b)).toEqual([...new Set(values)].sort((a, b) => a - b));
        expect(await rdd.union(rdd).count()).toBe(values.length * 2);
        expect(await rdd.fold(0, (a, b) => a + b)).toBe(values.reduce((a, b) => a + b, 0));
        expect(await rdd.aggregate(0, (acc, x) => acc + (x > 0 ? 1 : 0), (a, b) => a + b)).toBe(values.filter((x) => x > 0).length);
        if (values.length > 0) expect(await rdd.reduce((a, b) => Math.max(a, b))).toBe(Math.max(...values));
      }),
      { numRuns: 25 },
    );
  });

  it('agrees with plain code for the pair functions: groupByKey, aggregateByKey, foldByKey, countByKey, joins, cogroup', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd'), fc.integer({ min: 0, max: 9 })), { maxLength: 40 }),
        fc.array(fc.tuple(fc.constantFrom('b', 'c', 'e'), fc.integer({ min: 0, max: 9 })), { maxLength: 20 }),
        async (left, right) => {
          const l = sc.parallelize(left, 3);
          const r = sc.parallelize(right, 2);
          const groups = new Map<string, number[]>();
          for (const [k, v] of left) groups.set(k, [...(groups.get(k) ?? []), v]);
          const grouped = await l.groupByKey(2).mapValues((vs) => [...vs].sort()).collect();
          expect(sortPairs(grouped)).toEqual(sortPairs([...groups].map(([k, vs]): [string, number[]] => [k, vs.sort()])));
          const sums = [...groups].map(([k, vs]): [string, number] => [k, vs.reduce((a, b) => a + b, 0)]);
          expect(sortPairs(await l.aggregateByKey(0, (a, v) => a + v, (a, b) => a + b).collect())).toEqual(sortPairs(sums));
          expect(sortPairs(await l.foldByKey(0, (a, b) => a + b, 4).collect())).toEqual(sortPairs(sums));
          expect(await l.countByKey()).toEqual(new Map([...groups].map(([k, vs]) => [k, vs.length])));
          const inner: [string, [number, number]][] = [];
          for (const [k, v] of left) for (const [k2, w] of right) if (k === k2) inner.push([k, [v, w]]);
          expect(sortPairs(await l.join(r).collect()).map(String)).toEqual(sortPairs(inner).map(String));
          const leftOuter = await l.leftOuterJoin(r).collect();
          expect(leftOuter.length).toBe(inner.length + left.filter(([k]) => !right.some(([k2]) => k2 === k)).length);
          const full = await l.fullOuterJoin(r).collect();
          expect(full.length).toBe(leftOuter.length + right.filter(([k]) => !left.some(([k2]) => k2 === k)).length);
          const cogrouped = await l.cogroup(r).collect();
          expect(new Set(cogrouped.map(([k]) => k))).toEqual(new Set([...left, ...right].map(([k]) => k)));
        },
      ),
      { numRuns: 20 },
    );
  });

  it('sorts by key across range partitions, ascending and descending, and takes in order', async () => {
    const values = Array.from({ length: 500 }, (_, index) => (index * 7919) % 1000);
    const pairs = sc.parallelize(values.map((v): [number, string] => [v, `v${v}`]), 4);
    const ascending = await pairs.sortByKey(true, 3);
    expect((await ascending.keys().collect())).toEqual([...values].sort((a, b) => a - b));
    const descending = await pairs.sortByKey(false, 3);
    expect(await descending.keys().collect()).toEqual([...values].sort((a, b) => b - a));
    const sortedBy = await sc.parallelize(['pear', 'fig', 'banana', 'kiwi'], 2).sortBy((word) => word.length);
    expect(await sortedBy.collect()).toEqual(['fig', 'pear', 'kiwi', 'banana']);
    expect(await sc.parallelize(values, 5).top(3)).toEqual([...values].sort((a, b) => b - a).slice(0, 3));
    expect(await sc.parallelize(values, 5).takeOrdered(3)).toEqual([...values].sort((a, b) => a - b).slice(0, 3));
    expect(await sc.parallelize(values, 5).take(7)).toEqual(values.slice(0, 7));
    expect(await sc.parallelize(values, 5).first()).toBe(values[0]);
  });

  it('zips with index, samples deterministically, coalesces, repartitions and builds cartesian products', async () => {
    const letters = sc.parallelize(['a', 'b', 'c', 'd', 'e'], 3);
    expect(await (await letters.zipWithIndex()).collect()).toEqual([['a', 0], ['b', 1], ['c', 2], ['d', 3], ['e', 4]]);
    const numbers = sc.range(0, 1000, 1, 4);
    const sample = await numbers.sample(false, 0.1, 7).collect();
    expect(sample).toEqual(await numbers.sample(false, 0.1, 7).collect());
    expect(sample.length).toBeGreaterThan(50);
    expect(sample.length).toBeLessThan(150);
    expect(numbers.coalesce(2).numPartitions).toBe(2);
    expect(await numbers.coalesce(2).collect()).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const repartitioned = numbers.repartition(7);
    const sizes = await repartitioned.runJob((values) => [...values].length);
    expect(sizes).toHaveLength(7);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(4);
    expect((await repartitioned.collect()).sort((a, b) => a - b)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(await sc.parallelize([1, 2], 2).cartesian(sc.parallelize(['x', 'y'], 1)).collect()).toEqual([[1, 'x'], [1, 'y'], [2, 'x'], [2, 'y']]);
  });

  it('is lazy: nothing runs until an action', async () => {
    let calls = 0;
    const rdd = sc.parallelize([1, 2, 3], 1).map((x) => (calls++, x));
    expect(calls).toBe(0);
    expect(sc.jobs).toBe(0);
    await rdd.count();
    expect(calls).toBe(3);
  });

  it('computes a persisted RDD once across jobs, and again after unpersist', async () => {
    let calls = 0;
    const rdd = sc.parallelize([1, 2, 3, 4], 2).map((x) => (calls++, x * x)).persist('MEMORY_AND_DISK');
    expect(await rdd.collect()).toEqual([1, 4, 9, 16]);
    expect(await rdd.count()).toBe(4);
    expect(calls).toBe(4);
    rdd.unpersist();
    await rdd.count();
    expect(calls).toBe(8);
  });

  it('saves one part file per partition, and refuses an existing output directory', async () => {
    const output = join(sc.workDirectory, 'out');
    await sc.parallelize(['a', 'b', 'c'], 2).map((x) => ({ x })).saveAsTextFile(output);
    expect(readdirSync(output).sort()).toEqual(['part-00000', 'part-00001']);
    expect(readFileSync(join(output, 'part-00001'), 'utf8')).toBe('{"x":"b"}\n{"x":"c"}\n');
    await expect(sc.parallelize([1], 1).saveAsTextFile(output)).rejects.toThrow(/already exists/);
  });

  it('explains the lineage and its stages like toDebugString', () => {
    const counts = sc.textFile(RAVEN, 2).flatMap(tokenize).map((word): [string, number] => [word, 1]).reduceByKey((a, b) => a + b, 3);
    const plan = counts.toDebugString();
    expect(plan.split('\n').slice(0, 4)).toEqual([
      '(3) reduceByKey [3] HashPartitioner(3)',
      ` +-(2) map [2]  <- shuffle 0 (HashPartitioner(3), map-side combine)`,
      '    |  (2) flatMap [1]',
      `    |  (2) textFile [0] ${RAVEN}`,
    ]);
    expect(plan).toContain('stage 0: shuffle map stage, 2 task(s) writing shuffle 0 from map [2]');
    expect(plan).toContain('stage 1: result stage, 3 task(s) computing reduceByKey [3], after stage 0');
  });
});

describe('RDD bad input', () => {
  it('handles empty inputs: an empty file, an empty collection', async () => {
    const empty = join(sc.workDirectory, 'empty.txt');
    writeFileSync(empty, '');
    expect(await sc.textFile(empty).count()).toBe(0);
    expect(await sc.parallelize([], 2).collect()).toEqual([]);
    expect(await sc.parallelize<number>([], 2).fold(0, (a, b) => a + b)).toBe(0);
    await expect(sc.parallelize<number>([], 2).reduce((a, b) => a + b)).rejects.toThrow(/reduce: the RDD is empty; use fold/);
    await expect(sc.parallelize<number>([], 1).first()).rejects.toThrow(/first: the RDD is empty/);
  });

  it('names a missing input file, a line too long and a bad argument', async () => {
    expect(() => sc.textFile(join(sc.workDirectory, 'missing.txt'))).toThrow(/missing\.txt does not exist/);
    const binary = join(sc.workDirectory, 'one-long-line.bin');
    writeFileSync(binary, Buffer.alloc(70 * 1024 * 1024, 0x41));
    await expect(sc.textFile(binary, 1).count()).rejects.toThrow(/one-long-line\.bin: the line starting at byte 0 is longer than/);
    expect(() => sc.parallelize([1], 0)).toThrow(/parallelize: slice count 0 must be a positive integer/);
    await expect(sc.parallelize([1], 1).take(-1)).rejects.toThrow(/take: count -1/);
  });
});

describe('RDD faults', () => {
  it('retries a task that throws, and fails the job with the stage, partition and user error when it keeps throwing', async () => {
    let attempts = 0;
    const flaky = sc.parallelize([1, 2, 3, 4], 2).map((x) => {
      if (x === 3 && attempts++ < 2) throw new Error('transient');
      return x;
    });
    expect(await flaky.collect()).toEqual([1, 2, 3, 4]);
    const broken = sc.parallelize([1, 2, 3, 4], 2).map((x) => {
      if (x === 4) throw new Error('bad record 4');
      return x;
    });
    const failure = broken.collect();
    await expect(failure).rejects.toBeInstanceOf(JobFailedError);
    await expect(failure).rejects.toThrow(/stage \d+ \(map \[\d+\]\) partition 1 failed 4 time\(s\); last error: bad record 4/);
  });

  it('recomputes lost shuffle output from lineage', async () => {
    let mapCalls = 0;
    const counts = sc.parallelize(['a b', 'b c', 'c d'], 3).flatMap((line) => line.split(' ')).map((word): [string, number] => (mapCalls++, [word, 1])).reduceByKey((a, b) => a + b, 2);
    expect(sortPairs(await counts.collect())).toEqual([['a', 1], ['b', 2], ['c', 2], ['d', 1]]);
    expect(mapCalls).toBe(6);
    for (const file of readdirSync(sc.workDirectory)) if (file.startsWith('shuffle_0_1')) rmSync(join(sc.workDirectory, file));
    expect(sortPairs(await counts.collect())).toEqual([['a', 1], ['b', 2], ['c', 2], ['d', 1]]);
    expect(mapCalls).toBe(8); // only map partition 1 ran again
  });

  it('cuts the lineage at a checkpoint', async () => {
    let calls = 0;
    const base = sc.parallelize([1, 2, 3], 3).map((x) => (calls++, x + 1)).checkpoint();
    expect(await base.collect()).toEqual([2, 3, 4]);
    const afterFirstJob = calls;
    expect(await base.map((x) => x * 10).collect()).toEqual([20, 30, 40]);
    expect(calls).toBe(afterFirstJob);
    expect(base.map((x) => x).toDebugString()).toContain('[checkpointed: lineage cut]');
  });

  it('completes a shuffle far larger than its memory limit by spilling', async () => {
    const spilling = new BatchContext({ slots: 2, memoryLimitBytes: 256 * 1024 });
    try {
      const words = spilling.range(0, 200_000, 1, 4).map((n): [string, number] => [`word-${n % 20_000}`, 1]);
      const counts = await words.reduceByKey((a, b) => a + b, 3).collect();
      expect(counts).toHaveLength(20_000);
      expect(counts.every(([, count]) => count === 10)).toBe(true);
    } finally {
      await spilling.stop();
    }
  });
});
