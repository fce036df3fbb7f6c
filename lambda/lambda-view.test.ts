import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import fc from 'fast-check';
import { LocalCluster } from '../core/topology/runtime/local-cluster.js';
import { BatchContext } from '../batch/context/batch-context.js';
import { MemoryKeyspace } from '../serving/keyspace/memory-keyspace.js';
import { FileOffsetStore, type OffsetStore } from '../spouts/offset-store.js';
import { createTopics, produceLines, ravenText, startEmbeddedLog, type EmbeddedLog } from '../examples/wordcount/test-support.js';
import { oracleWordCount } from '../test/support/word-count-oracle.js';
import { until } from '../test/support/until.js';
import { CrashableOffsetStore } from '../test/support/crashable-offset-store.js';
import { lambda, type LambdaView, type SpeedLayerOptions, type ViewEvent } from './index.js';
import { InvalidLambdaViewError } from './errors.js';
import type { Monoid } from '../serving/views/monoids/monoid.js';
import { checkMonoidLaws } from '../serving/views/monoids/laws.js';

const WORD = /[\p{L}\p{N}]+/gu;

function words(line: string | null): string[] {
  return (line ?? '').toLowerCase().match(WORD) ?? [];
}

function wordCountView(name: string, topic: string, bucketOffsets: number): LambdaView<number> {
  return lambda.view(name, {
    source: topic,
    bucketOffsets,
    monoid: 'sum',
    *map(event: ViewEvent) {
      for (const word of words(event.value)) yield [word, 1] as const;
    },
  });
}

let log: EmbeddedLog;
let lines: string[];

beforeAll(async () => {
  log = await startEmbeddedLog('lambda-view');
  lines = (await ravenText()).split('\n');
});

afterAll(async () => {
  await log.close();
});

async function committedThrough(store: OffsetStore, topic: string, ends: readonly number[]): Promise<boolean> {
  for (const [partition, end] of ends.entries()) if (((await store.read(topic, partition)) ?? 0) < end) return false;
  return true;
}

describe('lambda.view', () => {
  it('runs one word-count definition as a topology and as a batch job; merged answers equal the oracle', async () => {
    const topic = 'raven-3';
    await createTopics(log, [{ topic, numPartitions: 3 }]);
    const ends = await produceLines(log, topic, lines, 3);
    const store = { keyspace: new MemoryKeyspace() };
    const view = wordCountView('raven-words', topic, 20);
    await view.create(store);
    const offsetStore = new FileOffsetStore(join(log.dir, 'raven-3-offsets.json'));
    const cluster = new LocalCluster();
    try {
      await cluster.submitTopology('speed', {}, view.speedTopology({ ...store, bootstrap: log.bootstrap, offsetStore }));
      await until('the speed layer to commit every line', () => committedThrough(offsetStore, topic, ends), 30_000);
      const oracle = oracleWordCount(lines.join('\n'));
      const realtime = await view.get(store, 'nevermore');
      expect(realtime.batchVersion).toBeUndefined();
      expect(Number(realtime.value)).toBe(oracle.get('nevermore'));

      const context = new BatchContext({ workDirectory: join(log.dir, 'batch-1'), slots: 2 });
      const run = await view.recompute({ ...store, bootstrap: log.bootstrap, context }).finally(() => context.stop());
      expect(run.version).toBe(1);
      // Cut-offs end a bucket of 20 offsets: the batch covers whole buckets, realtime the rest.
      for (const [partition, end] of ends.entries()) expect(run.cutOffs[`${topic}-${partition}`]).toBe(Math.floor(end / 20) * 20 - 1);
      const top = await view.top(store, 5);
      const expectedTop = [...oracle].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5);
      expect(top.map((entry) => [entry.key.toString(), Number(entry.score)])).toEqual(expectedTop);
      for (const [word, count] of expectedTop) {
        const answer = await view.get(store, word);
        expect(answer.batchVersion).toBe(1);
        expect(Number(answer.value)).toBe(count);
      }
    } finally {
      await cluster.shutdown();
    }
  });

  it('runs set and max monoids the same way in both layers', async () => {
    const topic = 'raven-letters';
    await createTopics(log, [{ topic, numPartitions: 2 }]);
    const ends = await produceLines(log, topic, lines.slice(0, 60), 2);
    const store = { keyspace: new MemoryKeyspace() };
    // Per first letter: the distinct words, and the longest word's length.
    const vocabulary = lambda.view('vocabulary', { source: topic, monoid: 'set', bucketOffsets: 4, map: (event) => words(event.value).map((word) => [word[0]!, word] as const) });
    const longest = lambda.view('longest', { source: topic, monoid: 'max', bucketOffsets: 4, map: (event) => words(event.value).map((word) => [word[0]!, word.length] as const) });
    const expectedSets = new Map<string, Set<string>>();
    const expectedMax = new Map<string, number>();
    for (const word of lines.slice(0, 60).flatMap(words)) {
      expectedSets.set(word[0]!, (expectedSets.get(word[0]!) ?? new Set()).add(word));
      expectedMax.set(word[0]!, Math.max(expectedMax.get(word[0]!) ?? 0, word.length));
    }
    const cluster = new LocalCluster();
    try {
      for (const view of [vocabulary, longest]) await view.create(store);
      for (const view of [vocabulary, longest]) {
        const offsetStore = new FileOffsetStore(join(log.dir, `${view.name}-offsets.json`));
        await cluster.submitTopology(view.name, {}, view.speedTopology({ ...store, bootstrap: log.bootstrap, offsetStore }));
      }
      const check = async () => {
        for (const [letter, members] of expectedSets) {
          const set = await vocabulary.get(store, letter);
          const max = await longest.get(store, letter);
          if (JSON.stringify(set.value) !== JSON.stringify([...members].sort()) || max.value !== BigInt(expectedMax.get(letter)!)) return false;
        }
        return true;
      };
      await until('the realtime set and max views', check, 30_000);
      const context = new BatchContext({ workDirectory: join(log.dir, 'batch-letters'), slots: 1 });
      try {
        await vocabulary.recompute({ ...store, bootstrap: log.bootstrap, context });
        await longest.recompute({ ...store, bootstrap: log.bootstrap, context });
      } finally {
        await context.stop();
      }
      expect(await check()).toBe(true);
      expect((await longest.get(store, 't')).batchVersion).toBe(1);
      expect(ends.reduce((a, b) => a + b)).toBe(60);
    } finally {
      await cluster.shutdown();
    }
  });

  it('runs an hll distinct count and a user monoid through both layers', async () => {
    const topic = 'raven-distinct';
    await createTopics(log, [{ topic, numPartitions: 2 }]);
    await produceLines(log, topic, lines, 2);
    const store = { keyspace: new MemoryKeyspace() };
    // A user monoid: the longest word per first letter, ties broken alphabetically.
    const longestWord: Monoid<string> = {
      spec: 'user:test.longest-word',
      zero: '',
      combine: (left, right) => (left.length !== right.length ? (left.length > right.length ? left : right) : left < right ? left : right),
      equals: (left, right) => left === right,
      from(input) {
        if (typeof input !== 'string') throw new TypeError(`not a word: ${String(input)}`);
        return input;
      },
      encode: (value) => Buffer.from(value),
      decode: (bytes) => bytes.toString(),
      present: (value) => ({ kind: 'members', members: value === '' ? [] : [value] }),
    };
    expect(checkMonoidLaws(longestWord, ['', 'a', 'ab', 'ba', 'abc', 'raven'])).toEqual([]);
    const distinct = lambda.view('distinct-words', { source: topic, monoid: 'hll', bucketOffsets: 10, map: (event) => words(event.value).map((word) => ['all', word] as const) });
    const longest = lambda.view('longest-word', { source: topic, monoid: longestWord, bucketOffsets: 10, map: (event) => words(event.value).map((word) => [word[0]!, word] as const) });
    const cluster = new LocalCluster();
    try {
      for (const view of [distinct, longest]) {
        await view.create(store);
        await cluster.submitTopology(view.name, {}, view.speedTopology({ ...store, bootstrap: log.bootstrap, offsetStore: new FileOffsetStore(join(log.dir, `${view.name}-offsets.json`)) }));
      }
      const vocabulary = new Set(lines.flatMap(words));
      const expectedLongest = new Map<string, string>();
      for (const word of vocabulary) expectedLongest.set(word[0]!, longestWord.combine(expectedLongest.get(word[0]!) ?? '', word));
      const estimate = async () => Number((await distinct.get(store, 'all')).presented.kind === 'integer' ? ((await distinct.get(store, 'all')).presented as { value: bigint }).value : -1);
      const longestOf = async (letter: string) => (await longest.get(store, letter)).value;
      // HyperLogLog at p = 12: 3 standard errors are 4.9 %.
      await until('the realtime distinct count', async () => Math.abs((await estimate()) - vocabulary.size) <= 0.049 * vocabulary.size && (await longestOf('n')) === expectedLongest.get('n'), 30_000);
      const context = new BatchContext({ workDirectory: join(log.dir, 'batch-distinct'), slots: 1 });
      try {
        await distinct.recompute({ ...store, bootstrap: log.bootstrap, context });
        await longest.recompute({ ...store, bootstrap: log.bootstrap, context });
      } finally {
        await context.stop();
      }
      expect(Math.abs((await estimate()) - vocabulary.size)).toBeLessThanOrEqual(0.049 * vocabulary.size);
      for (const [letter, word] of expectedLongest) expect(await longestOf(letter)).toBe(word);
      expect((await longest.get(store, 'n')).batchVersion).toBe(1);
    } finally {
      await cluster.shutdown();
    }
  });

  it('refuses definitions that cannot run, saying why', () => {
    const map = () => [];
    expect(() => lambda.view('bad name', { source: 't', monoid: 'sum', map })).toThrow(InvalidLambdaViewError);
    expect(() => lambda.view('v', { source: '', monoid: 'sum', map })).toThrow("lambda view 'v': source must name a log topic");
    expect(() => lambda.view('v', { source: 't', monoid: 'avg', map })).toThrow("unknown monoid 'avg'");
    expect(() => lambda.view('v', { source: 't', monoid: 'sum', map, bucketOffsets: 0 })).toThrow('bucketOffsets must be a positive integer');
    expect(() => lambda.view('v', { source: 't', monoid: 'sum', map: undefined as unknown as typeof map })).toThrow('map must be a function');
  });
});

describe('exact cut-over between batch and realtime', () => {
  type Step = { kind: 'produce'; partition: number; count: number } | { kind: 'batch' } | { kind: 'crash' } | { kind: 'query' };
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('produce' as const), partition: fc.integer({ min: 0, max: 1 }), count: fc.integer({ min: 1, max: 25 }) }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'batch' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'crash' as const }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'query' as const }) },
  );
  const KEYS = ['the', 'nevermore', 'raven', 'and', 'my', 'door'];
  let run = 0;

  it('a merged answer always equals a recount of the log up to the offsets it reports, through crashes and batch runs', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 3, maxLength: 9 }), async (steps) => {
        run += 1;
        const topic = `cutover-${run}`;
        await createTopics(log, [{ topic, numPartitions: 2 }]);
        const produced: string[][] = [[], []];
        const store = { keyspace: new MemoryKeyspace() };
        const view = wordCountView(`cutover-${run}`, topic, 7);
        await view.create(store);
        const durable = new FileOffsetStore(join(log.dir, `${topic}-offsets.json`));
        const cluster = new LocalCluster();
        let generation = 0;
        let offsets = new CrashableOffsetStore(durable);
        const options = (): SpeedLayerOptions => ({ ...store, bootstrap: log.bootstrap, offsetStore: offsets, parallelism: 2 });
        await cluster.submitTopology(`speed-${generation}`, { 'topology.message.timeout.secs': 5 }, view.speedTopology(options()));
        const producer = log.kafka.producer();
        await producer.connect();
        let next = 0;
        const checkAnswers = async () => {
          for (const key of KEYS) {
            const answer = await view.get(store, key);
            let recount = 0;
            for (const [name, last] of Object.entries(answer.realtimeOffsets)) {
              const partition = Number(name.slice(topic.length + 1));
              expect(last).toBeLessThan(produced[partition]!.length);
              for (const line of produced[partition]!.slice(0, last + 1)) recount += words(line).filter((word) => word === key).length;
            }
            expect({ key, value: Number(answer.value) }).toEqual({ key, value: recount });
          }
        };
        try {
          for (const current of steps) {
            if (current.kind === 'produce') {
              const batch = Array.from({ length: current.count }, () => lines[next++ % lines.length]!);
              await producer.send({ topic, acks: -1, messages: batch.map((value) => ({ value, partition: current.partition })) });
              produced[current.partition]!.push(...batch);
            } else if (current.kind === 'batch') {
              const context = new BatchContext({ workDirectory: join(log.dir, `${topic}-batch`), slots: 1 });
              await view.recompute({ ...store, bootstrap: log.bootstrap, context }).finally(() => context.stop());
            } else if (current.kind === 'crash') {
              // The process dies: commits stop at once, whatever it wrote to the view stays.
              await offsets.crash();
              await cluster.killTopology(`speed-${generation}`);
              generation += 1;
              offsets = new CrashableOffsetStore(durable);
              await cluster.submitTopology(`speed-${generation}`, { 'topology.message.timeout.secs': 5 }, view.speedTopology(options()));
            }
            await checkAnswers();
          }
          await until('the speed layer to catch up', () => committedThrough(durable, topic, produced.map((part) => part.length)), 30_000);
          await checkAnswers();
          const everything = oracleWordCount(produced.flat().join('\n'));
          for (const key of KEYS) expect(Number((await view.get(store, key)).value)).toBe(everything.get(key) ?? 0);
        } finally {
          await producer.disconnect();
          await cluster.shutdown();
        }
      }),
      { numRuns: 6 },
    );
  }, 180_000);
});
