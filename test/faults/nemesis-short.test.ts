/**
 * The short fault suite: each nemesis scenario (test/faults/harness/) once, with a fixed seed, for
 * under a minute of faults — kill -9, SIGSTOP/SIGCONT, partitions, delays, torn writes and (serving)
 * clock skews chosen by the seed — and the Lambda view's speed layer on a topology cluster under
 * kills and pauses of its workers, broker and serving node. `FAULT_SEED=<seed>` replays another schedule; `npm run test:faults` runs the soak.
 */
import { describe, expect, it } from '@jest/globals';
import { brokerLogScenario } from './harness/broker-scenario.js';
import { coordRegisterScenario } from './harness/coord-scenario.js';
import { lambdaViewScenario } from './harness/lambda-scenario.js';
import { faultSeed, type Scenario, type ScenarioResult } from './harness/scenario.js';
import { servingScenario } from './harness/serving-scenario.js';

/** Fixed, so CI runs the same schedules each time; the soak draws fresh ones. */
const SEED = faultSeed(20_261_126);
const FAULT_DURATION_MS = 45_000;
/** Faults, then start-up, drain and checks: generous, as the machine is shared. */
const SCENARIO_TIMEOUT_MS = 150_000;
const MIN_FAULTS = 3;

function report(result: ScenarioResult): void {
  const lines = [
    `${result.scenario} (FAULT_SEED=${result.seed}): ${result.operationsChecked} operations checked, ${result.faultsInjected} faults, ${result.violations.length} violations`,
    ...result.faultLog.map((line) => `  ${line}`),
    ...result.violations.slice(0, 20).map((violation) => `  VIOLATION ${violation}`),
  ];
  if (result.excerpt !== undefined) lines.push(result.excerpt);
  console.log(lines.join('\n'));
}

async function runOnce(scenario: Scenario): Promise<void> {
  const result = await scenario(SEED, FAULT_DURATION_MS, () => undefined);
  report(result);
  expect(result.violations).toEqual([]);
  // Restarts that wait out a coord session leave room for fewer faults in some schedules.
  expect(result.faultsInjected).toBeGreaterThanOrEqual(MIN_FAULTS);
  expect(result.operationsChecked).toBeGreaterThan(50);
}

describe('nemesis: seeded faults against real clusters', () => {
  it('keeps a coord ensemble linearizable under kills, pauses and partitions', () => runOnce(coordRegisterScenario), SCENARIO_TIMEOUT_MS);
  it('keeps every acknowledged record of an idempotent producer exactly once, in order, across broker kills, pauses, partitions, delays and torn segments', () => runOnce(brokerLogScenario), SCENARIO_TIMEOUT_MS);
  it('keeps every acknowledged serving write and converges the replicas after kills, pauses, partitions, delays, torn data files and clock skews', () => runOnce(servingScenario), SCENARIO_TIMEOUT_MS);
  it('counts every word of the Lambda view exactly once across kills and pauses of workers, the broker and the serving node', () => runOnce(lambdaViewScenario), SCENARIO_TIMEOUT_MS);
});
