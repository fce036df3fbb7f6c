import { describe, expect, it } from '@jest/globals';
import { DEFAULT_FAULTS, runSeeds, Simulation } from './simulation.js';

/**
 * Seeded runs of a 3-node cluster under drops, delays, reordering, duplication, partitions,
 * crashes (also between persisting and sending) and compaction. Every safety property is checked
 * as the run goes (simulation-checks.ts); each run then heals and must elect a leader and apply a
 * new proposal on every node within a bound. A failure names its seed:
 * `new Simulation(seed, 3)` replays it exactly. (3 and 5 nodes are separate files so Jest's two
 * workers run them side by side.)
 */
const RUNS = 1_000;
const STEPS_PER_RUN = 250;
/** Liveness bound once faults stop: a few election timeouts (10 ticks each) plus catch-up. */
const SETTLE_MAX_TICKS = 200;

describe('raft with 3 nodes under a simulated faulty network', () => {
  it(`keeps every safety property and recovers liveness over ${RUNS} seeded runs`, () => {
    const summary = runSeeds(3, 3 * 1_000_000, RUNS, STEPS_PER_RUN, SETTLE_MAX_TICKS);
    // The runs must do real work, not just survive: dozens of commits per run on average.
    expect(summary.committedEntries / RUNS).toBeGreaterThan(20);
    expect(summary.maxSettleTicks).toBeLessThanOrEqual(SETTLE_MAX_TICKS);
  }, 60_000);

  it('replays a seed exactly', () => {
    const trace = (seed: number): string => {
      const simulation = new Simulation(seed, 3, DEFAULT_FAULTS);
      for (let step = 0; step < 200; step++) simulation.step();
      return simulation.nodes.map((node) => `${node.raft?.term}:${node.raft?.commitIndex}:${node.stateHash}`).join(',');
    };
    expect(trace(42)).toBe(trace(42));
  });
});
