/**
 * The Lambda invariant under concurrency: realtime writers of every partition, batch publishes
 * (newer and older versions racing) and readers run at once over a keyspace whose operations
 * fast-check's scheduler interleaves at random. Every answer, including those read while a
 * publish swaps the pointer and sweeps old versions, equals a recount up to the offsets it
 * reports; a publish fails only by being stale.
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
import { LogModel, MODEL_KEYS, MODEL_MONOIDS, ScheduledKeyspace, logsArbitrary, modelPartition, type LogRecord } from './test-support.js';
import { ViewReader } from './view-reader.js';

const VIEW = 'counts';

type Op = { kind: 'deliver'; partition: number; count: number } | { kind: 'rewind'; partition: number; back: number } | { kind: 'publish'; picks: number[] } | { kind: 'read'; key: string };

function opArbitrary(partitions: number): fc.Arbitrary<Op> {
  const partition = fc.integer({ min: 0, max: partitions - 1 });
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ kind: fc.constant('deliver' as const), partition, count: fc.integer({ min: 1, max: 5 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('rewind' as const), partition, back: fc.integer({ min: 1, max: 8 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('publish' as const), picks: fc.array(fc.nat(), { minLength: partitions, maxLength: partitions }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('read' as const), key: fc.constantFrom(...MODEL_KEYS) }) },
  );
}

async function runRounds(scheduler: fc.Scheduler, spec: string, logs: LogRecord[][], bucketOffsets: number, rounds: readonly Op[][]): Promise<void> {
  const memory = new MemoryKeyspace();
  let clock = 0;
  const nowMs = () => (clock += 300);
  await new ViewCatalog({ keyspace: memory }).create(VIEW, spec, { bucketOffsets });
  const racing = { keyspace: new ScheduledKeyspace(memory, scheduler), nowMs };
  const realtime = new RealtimeViewWriter(racing);
  const batch = new BatchViewWriter(racing);
  const reader = new ViewReader(racing);
  const quietReader = new ViewReader({ keyspace: memory });
  const model = new LogModel(monoidFromSpec(spec), logs, bucketOffsets);
  const cursor = logs.map(() => 0);
  const delivered = logs.map(() => -1);
  let floorCutOffs: CutOffs = {};
  let nextVersion = 1;

  const expectExact = async (read: ViewReader, key: string) => {
    const answer = await read.get(VIEW, key);
    expect(model.monoid.equals(answer.value, model.recount(key, answer.realtimeOffsets))).toBe(true);
    return answer;
  };
  const publish = async (version: number, cutOffs: CutOffs) => {
    try {
      const load = await batch.begin(VIEW, version, cutOffs);
      for (const key of MODEL_KEYS) await load.put(key, model.recount(key, cutOffs));
      await load.publish();
    } catch (error) {
      expect(error).toBeInstanceOf(StaleBatchVersionError);
    }
  };

  for (const round of rounds) {
    const chains = new Map<number, Promise<void>>();
    const tasks: Array<Promise<unknown>> = [];
    for (const op of round) {
      if (op.kind === 'read') tasks.push(expectExact(reader, op.key));
      else if (op.kind === 'publish') {
        // Versions and cut-offs grow together, so racing publishes may only fail as stale.
        floorCutOffs = model.cutOffs(floorCutOffs, op.picks);
        tasks.push(publish(nextVersion++, floorCutOffs));
      } else {
        const { partition } = op;
        const previous = chains.get(partition) ?? Promise.resolve();
        chains.set(
          partition,
          previous.then(async () => {
            if (op.kind === 'rewind') cursor[partition] = Math.max(0, cursor[partition]! - op.back);
            for (let step = 0; op.kind === 'deliver' && step < op.count && cursor[partition]! < logs[partition]!.length; step += 1) {
              const offset = cursor[partition]!++;
              const record = logs[partition]![offset]!;
              await realtime.apply(VIEW, record.key, record.delta, { partition: modelPartition(partition), offset });
              delivered[partition] = Math.max(delivered[partition]!, offset);
            }
          }),
        );
      }
    }
    await scheduler.waitFor(Promise.all([...tasks, ...chains.values()]));
    const { pointer } = await quietReader.describe(VIEW);
    for (const key of MODEL_KEYS) {
      const answer = await expectExact(quietReader, key);
      expect(answer.batchVersion).toBe(pointer?.version);
      logs.forEach((_, partition) => {
        const floor = Math.max(model.lastOffsetOf(key, partition, delivered[partition]!), cutOffOf(pointer?.cutOffs ?? {}, modelPartition(partition)));
        expect(cutOffOf(answer.realtimeOffsets, modelPartition(partition))).toBeGreaterThanOrEqual(floor);
      });
    }
  }
}

describe('Lambda views under concurrency (property)', () => {
  it.each(MODEL_MONOIDS)('answers stay exact while writers, publishes and readers race, with %s', async (spec, delta) => {
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 1, max: 3 }).chain((partitions) =>
          fc.record({
            logs: logsArbitrary(delta, partitions, 16),
            bucketOffsets: fc.constantFrom(1, 2, 4),
            rounds: fc.array(fc.array(opArbitrary(partitions), { minLength: 1, maxLength: 6 }), { maxLength: 6 }),
          }),
        ),
        (scheduler, { logs, bucketOffsets, rounds }) => runRounds(scheduler, spec, logs, bucketOffsets, rounds),
      ),
      { numRuns: 40 },
    );
  });
});
