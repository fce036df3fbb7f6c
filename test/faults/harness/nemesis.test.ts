import { mkdtemp, readFile, rm, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { FAULT_GAP_MS, FAULT_HOLD_MS, planFaults, tearNewestFile, type FaultKind } from './nemesis.js';

const ALL_KINDS: FaultKind[] = ['kill', 'pause', 'partition', 'delay', 'torn-write'];

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
});
