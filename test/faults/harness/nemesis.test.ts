import { mkdtemp, readFile, rm, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CLOCK_SKEW_MS, FAULT_GAP_MS, FAULT_HOLD_MS, FAULT_KINDS, planFaults, runNemesis, tearNewestFile, type FaultKind, type FaultTarget } from './nemesis.js';

/** The schedule seed 20261126 gave for 20 s of the original five kinds, before clock-skew was added. */
const RECORDED_PLAN = [
  ['torn-write', [2], 1529, 498],
  ['pause', [2], 1608, 2222],
  ['partition', [1], 1281, 2897],
  ['partition', [0], 1565, 1218],
  ['delay', [2], 1377, 2736],
  ['kill', [0], 734, 1241],
];

const ALL_KINDS: FaultKind[] = [...FAULT_KINDS];

describe('fault schedule', () => {
  it('is the same for the same seed and differs for another', () => {
    const options = { durationMs: 60_000, nodeCount: 3, kinds: ALL_KINDS };
    expect(planFaults({ seed: 42, ...options })).toEqual(planFaults({ seed: 42, ...options }));
    expect(planFaults({ seed: 43, ...options })).not.toEqual(planFaults({ seed: 42, ...options }));
  });

  it('fits in the duration, uses only the kinds asked for, and hits a minority of the nodes', () => {
    const kinds = fc.subarray(ALL_KINDS, { minLength: 1 });
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 120_000 }), fc.integer({ min: 3, max: 7 }), kinds, (seed, durationMs, nodeCount, allowed) => {
        const plan = planFaults({ seed, durationMs, nodeCount, kinds: allowed });
        expect(plan.reduce((sum, step) => sum + step.gapMs + step.holdMs, 0)).toBeLessThanOrEqual(durationMs);
        plan.forEach((step, i) => {
          expect(step.index).toBe(i + 1);
          expect(allowed).toContain(step.kind);
          expect(step.gapMs).toBeGreaterThanOrEqual(FAULT_GAP_MS.min);
          expect(step.holdMs).toBeLessThanOrEqual(FAULT_HOLD_MS[step.kind].max);
          expect(new Set(step.nodes).size).toBe(step.nodes.length);
          expect(step.nodes.length * 2).toBeLessThan(nodeCount);
          expect(step.nodes.every((node) => node >= 0 && node < nodeCount)).toBe(true);
          if (step.kind === 'torn-write') expect(step.tornBytes).toBeGreaterThan(0);
          if (step.kind === 'delay') expect(step.delayMs).toBeGreaterThan(0);
          if (step.kind === 'clock-skew') {
            expect(Math.abs(step.skewMs!)).toBeGreaterThanOrEqual(CLOCK_SKEW_MS.min);
            expect(Math.abs(step.skewMs!)).toBeLessThanOrEqual(CLOCK_SKEW_MS.max);
          } else expect(step.skewMs).toBeUndefined();
        });
      }),
    );
  });

  it('fills a minute with several faults of every kind over seeds', () => {
    const plans = [1, 2, 3, 4, 5].map((seed) => planFaults({ seed, durationMs: 60_000, nodeCount: 3, kinds: ALL_KINDS }));
    for (const plan of plans) expect(plan.length).toBeGreaterThanOrEqual(10);
    expect(new Set(plans.flat().map((step) => step.kind))).toEqual(new Set(ALL_KINDS));
    expect(new Set(plans.flat().flatMap((step) => step.nodes))).toEqual(new Set([0, 1, 2]));
  });

  it('skews clocks both ahead and behind over seeds', () => {
    const skews = [1, 2, 3, 4, 5].flatMap((seed) => planFaults({ seed, durationMs: 60_000, nodeCount: 3, kinds: ['clock-skew'] })).map((step) => step.skewMs!);
    expect(skews.some((skewMs) => skewMs > 0)).toBe(true);
    expect(skews.some((skewMs) => skewMs < 0)).toBe(true);
  });

  it('leaves the schedule of other kinds as it was before clock-skew existed', () => {
    // Seeds recorded in reports must keep replaying the same faults.
    const plan = planFaults({ seed: 20_261_126, durationMs: 20_000, nodeCount: 3, kinds: ['kill', 'pause', 'partition', 'delay', 'torn-write'] });
    expect(plan.map((step) => [step.kind, step.nodes, step.gapMs, step.holdMs])).toEqual(RECORDED_PLAN);
  });
});

describe('clock-skew fault', () => {
  const quietTarget = (calls: string[], skewClock?: FaultTarget['skewClock']): FaultTarget => ({
    nodeNames: ['a', 'b', 'c'],
    kill: async () => undefined,
    restart: async () => undefined,
    pause: () => undefined,
    resume: () => undefined,
    partition: () => undefined,
    heal: () => undefined,
    delay: () => undefined,
    undelay: () => undefined,
    ...(skewClock === undefined ? {} : { skewClock }),
    dataFiles: () => ({ directory: tmpdir(), pattern: /^$/ }),
    settle: async () => void calls.push('settle'),
  });
  const step = { index: 1, kind: 'clock-skew' as const, gapMs: 0, holdMs: 10, nodes: [1], skewMs: -7_000 };

  it('skews the node, then restores its clock before the cluster settles', async () => {
    const calls: string[] = [];
    const outcome = await runNemesis([step], quietTarget(calls, async (node, offsetMs) => void calls.push(`skew ${node} ${offsetMs}`)), { seed: 1, durationMs: 1_000, log: () => undefined });
    expect(outcome.failure).toBeUndefined();
    expect(calls).toEqual(['skew 1 -7000', 'skew 1 0', 'settle']);
    expect(outcome.records[0]!.description).toBe('clock of b -7000 ms for 10 ms, then restored');
  });

  it('ends the run with a failure on a scenario that cannot skew clocks', async () => {
    const outcome = await runNemesis([step], quietTarget([]), { seed: 1, durationMs: 1_000, log: () => undefined });
    expect(outcome.failure).toMatch(/cannot skew clocks/);
  });
});

describe('torn write', () => {
  it('cuts the tail of the newest matching file only', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'barista-torn-'));
    try {
      await mkdir(join(directory, 'topic-0'));
      const [older, newer, other] = [join(directory, 'topic-0', '0001.log'), join(directory, 'topic-0', '0002.log'), join(directory, 'topic-0', '0002.index')];
      await writeFile(older, 'a'.repeat(100));
      await writeFile(newer, 'b'.repeat(100));
      await writeFile(other, 'c'.repeat(100));
      await utimes(older, new Date(1_000_000), new Date(1_000_000));
      await utimes(other, new Date(), new Date(Date.now() + 60_000));
      const said = await tearNewestFile({ directory, pattern: /\.log$/ }, 7);
      expect(said).toContain('0002.log');
      expect((await readFile(newer)).length).toBe(93);
      expect((await readFile(older)).length).toBe(100);
      expect((await readFile(other)).length).toBe(100);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('tears the last file of the sequence when files share a modification time, and nothing when it is empty', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'barista-torn-'));
    try {
      const [first, second, third] = ['0001.log', '0002.log', '0003.log'].map((name) => join(directory, name)) as [string, string, string];
      await writeFile(first, 'a'.repeat(100));
      await writeFile(second, 'b'.repeat(100));
      const same = new Date(2_000_000);
      for (const file of [first, second]) await utimes(file, same, same);
      expect(await tearNewestFile({ directory, pattern: /\.log$/ }, 5)).toContain('0002.log');
      expect([(await readFile(first)).length, (await readFile(second)).length]).toEqual([100, 95]);
      // A roll just made an empty last file: the older ones were synced when it rolled.
      await writeFile(third, '');
      await utimes(third, same, same);
      expect(await tearNewestFile({ directory, pattern: /\.log$/ }, 5)).toContain('nothing to tear');
      expect([(await readFile(first)).length, (await readFile(second)).length]).toEqual([100, 95]);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});
