import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { compareHlc, type HlcTimestamp } from '../../core/clock/hybrid-logical-clock.js';
import { CLOCK_CEILING_STEP_MS, ClockCeilingCorruptError, DurableHybridLogicalClock } from './durable-clock.js';

describe('durable hybrid logical clock', () => {
  let dataDir: string;
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'barista-durable-clock-'));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it('never stamps below a stamp of its previous life, however the wall clock moved meanwhile', async () => {
    // Each step: the wall clock's new reading, and whether the process restarts before stamping.
    const steps = fc.array(fc.record({ wallMs: fc.integer({ min: 1_000_000, max: 1_100_000 }), restart: fc.boolean() }), { minLength: 1, maxLength: 40 });
    await fc.assert(
      fc.asyncProperty(steps, async (plan) => {
        const directory = await mkdtemp(join(dataDir, 'run-'));
        let wallMs = 0;
        let clock = DurableHybridLogicalClock.open(directory, () => wallMs);
        let last: HlcTimestamp | undefined;
        for (const step of plan) {
          wallMs = step.wallMs;
          if (step.restart) clock = DurableHybridLogicalClock.open(directory, () => wallMs);
          const stamp = clock.now();
          if (last !== undefined) expect(compareHlc(stamp, last)).toBe(1);
          last = stamp;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a stamp taken from a fast peer across a restart', () => {
    const wallMs = 5_000_000;
    const clock = DurableHybridLogicalClock.open(dataDir, () => wallMs);
    const outstamped = clock.update({ wallMs: wallMs + 8_000, logical: 3 });
    const restarted = DurableHybridLogicalClock.open(dataDir, () => wallMs);
    expect(compareHlc(restarted.now(), outstamped)).toBe(1);
  });

  it('runs at most one step ahead of the wall clock after a restart', () => {
    const wallMs = 7_000_000;
    DurableHybridLogicalClock.open(dataDir, () => wallMs).now();
    expect(DurableHybridLogicalClock.open(dataDir, () => wallMs).now().wallMs).toBeLessThanOrEqual(wallMs + CLOCK_CEILING_STEP_MS);
  });

  it('refuses a ceiling file that holds no number, naming it', async () => {
    await writeFile(join(dataDir, 'clock-ceiling'), 'garbage');
    expect(() => DurableHybridLogicalClock.open(dataDir)).toThrow(ClockCeilingCorruptError);
  });
});
