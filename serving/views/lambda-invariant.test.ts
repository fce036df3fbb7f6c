/**
 * The Lambda invariant, as a property: over random logs, random deliveries to the realtime writer
 * (in order per partition, with replays from earlier offsets and duplicates), random batch
 * publishes (aligned cut-offs, stale and abandoned versions among them) and random reads, the
 * merged answer for every key equals a recount of that key's records up to the offsets the answer
 * reports, and those offsets cover everything delivered — never an offset counted twice, never
 * one missed. lambda-races.test.ts checks the same with concurrent writers, publishes and readers.
 */
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { MemoryKeyspace } from '../keyspace/memory-keyspace.js';
import { BatchViewWriter } from './batch-view-writer.js';
import { ViewCatalog } from './catalog.js';
import { StaleBatchVersionError } from './errors.js';
import { cutOffOf, type CutOffs } from './log-position.js';
import { monoidFromSpec } from './monoids/registry.js';
import { RealtimeViewWriter } from './realtime-view-writer.js';
import { LogModel, MODEL_KEYS, MODEL_MONOIDS, logsArbitrary, modelPartition, type LogRecord } from './test-support.js';
import { ViewReader } from './view-reader.js';
import { parseViewDataKey } from './view-keys.js';

const VIEW = 'counts';

type Op =
  | { kind: 'deliver'; partition: number; count: number }
  | { kind: 'rewind'; partition: number; back: number }
  | { kind: 'duplicate'; partition: number }
  | { kind: 'publish'; picks: number[] }
  | { kind: 'stale-publish' }
  | { kind: 'abandon'; picks: number[] }
  | { kind: 'check' };

function opArbitrary(partitions: number): fc.Arbitrary<Op> {
  const partition = fc.integer({ min: 0, max: partitions - 1 });
  const picks = fc.array(fc.nat(), { minLength: partitions, maxLength: partitions });
  return fc.oneof(
    { weight: 8, arbitrary: fc.record({ kind: fc.constant('deliver' as const), partition, count: fc.integer({ min: 1, max: 6 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('rewind' as const), partition, back: fc.integer({ min: 1, max: 8 }) }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('duplicate' as const), partition }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('publish' as const), picks }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'stale-publish' as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('abandon' as const), picks }) },
    { weight: 2, arbitrary: fc.constant({ kind: 'check' as const }) },
  );
}

async function runScenario(spec: string, logs: LogRecord[][], bucketOffsets: number, ops: readonly Op[]): Promise<void> {
  const keyspace = new MemoryKeyspace();
  let clock = 0;
  const options = { keyspace, nowMs: () => (clock += 400) };
  await new ViewCatalog(options).create(VIEW, spec, { bucketOffsets });
  const realtime = new RealtimeViewWriter(options);
  const batch = new BatchViewWriter(options);
  const reader = new ViewReader(options);
  const model = new LogModel(monoidFromSpec(spec), logs, bucketOffsets);
  const cursor = logs.map(() => 0);
  const delivered = logs.map(() => -1);
  let [liveVersion, previousVersion, nextVersion] = [-1, -1, 1];
  let liveCutOffs: CutOffs = {};

  const deliver = async (partition: number, offset: number) => {
    const record = logs[partition]![offset]!;
    await realtime.apply(VIEW, record.key, record.delta, { partition: modelPartition(partition), offset });
    delivered[partition] = Math.max(delivered[partition]!, offset);
  };
  const load = async (version: number, cutOffs: CutOffs) => {
    const batchLoad = await batch.begin(VIEW, version, cutOffs);
    for (const key of MODEL_KEYS) await batchLoad.put(key, model.recount(key, cutOffs));
    return batchLoad;
  };
  const check = async () => {
    for (const key of MODEL_KEYS) {
      const answer = await reader.get(VIEW, key);
      expect(model.monoid.equals(answer.value, model.recount(key, answer.realtimeOffsets))).toBe(true);
      expect(answer.batchVersion).toBe(liveVersion < 0 ? undefined : liveVersion);
      logs.forEach((_, partition) => {
        const floor = Math.max(model.lastOffsetOf(key, partition, delivered[partition]!), cutOffOf(liveCutOffs, modelPartition(partition)));
        expect(cutOffOf(answer.realtimeOffsets, modelPartition(partition))).toBeGreaterThanOrEqual(floor);
      });
    }
    // Batch values are kept for the live version, the one before it, and loads newer than both;
    // the previous version is complete, for readers still on it.
    const { keys } = await keyspace.scan('0', 100_000);
    const kept = new Map<number, number>();
    for (const key of keys) {
      const parsed = parseViewDataKey(VIEW, key);
      if (parsed?.kind === 'batch') kept.set(parsed.version, (kept.get(parsed.version) ?? 0) + 1);
    }
    for (const version of kept.keys()) expect(version > liveVersion || version === liveVersion || version === previousVersion).toBe(true);
  };

  for (const op of ops) {
    const partition = 'partition' in op ? op.partition : 0;
    switch (op.kind) {
      case 'deliver':
        for (let step = 0; step < op.count && cursor[partition]! < logs[partition]!.length; step += 1) await deliver(partition, cursor[partition]!++);
        break;
      case 'rewind':
        cursor[partition] = Math.max(0, cursor[partition]! - op.back);
        break;
      case 'duplicate':
        if (cursor[partition]! > 0) await deliver(partition, cursor[partition]! - 1);
        break;
      case 'publish': {
        const cutOffs = model.cutOffs(liveCutOffs, op.picks);
        const version = nextVersion++;
        const result = await (await load(version, cutOffs)).publish();
        expect(result.previousVersion).toBe(liveVersion < 0 ? undefined : liveVersion);
        [previousVersion, liveVersion, liveCutOffs] = [liveVersion, version, cutOffs];
        break;
      }
      case 'stale-publish':
        if (liveVersion >= 0) await expect(load(liveVersion, liveCutOffs)).rejects.toThrow(StaleBatchVersionError);
        break;
      case 'abandon':
        await load(nextVersion++, model.cutOffs(liveCutOffs, op.picks));
        break;
      case 'check':
        await check();
        break;
    }
  }
  await check();
}

describe('Lambda views (property)', () => {
  it.each(MODEL_MONOIDS)('answer = recount up to the reported offsets, with %s', async (spec, delta) => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 3 }).chain((partitions) =>
          fc.record({ logs: logsArbitrary(delta, partitions), bucketOffsets: fc.constantFrom(1, 2, 3, 5), ops: fc.array(opArbitrary(partitions), { maxLength: 40 }) }),
        ),
        ({ logs, bucketOffsets, ops }) => runScenario(spec, logs, bucketOffsets, ops),
      ),
      { numRuns: 60 },
    );
  });
});
