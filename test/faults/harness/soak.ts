/**
 * The long fault soak: `npm run test:faults -- --minutes 30 [--seed S] [--fault-seconds 60]`.
 * Runs the nemesis scenarios in turn, each with a fresh seed drawn from the first one, until the time
 * is up, then prints one row per run (scenario, seed, operations checked, faults, violations).
 * Any run with a violation prints its faults and violations as they happen, with the seed that
 * replays it (`FAULT_SEED=<seed>`), and makes the exit code 1.
 *
 * Compiled with the package (`npm run build`) and run from dist/ with node.
 */
import { parseArgs } from 'node:util';
import { mulberry32 } from '../../../core/random/mulberry32.js';
import { brokerLogScenario } from './broker-scenario.js';
import { coordRegisterScenario } from './coord-scenario.js';
import { lambdaViewScenario } from './lambda-scenario.js';
import type { Scenario, ScenarioResult } from './scenario.js';
import { servingScenario } from './serving-scenario.js';

const SCENARIOS: ReadonlyArray<readonly [string, Scenario]> = [
  ['coord-register', coordRegisterScenario],
  ['broker-log', brokerLogScenario],
  ['serving', servingScenario],
  ['lambda-view', lambdaViewScenario],
];
/** Start-up, drain and checks around a scenario's faults, for deciding whether another run fits. */
const RUN_OVERHEAD_MS = 40_000;
const DEFAULT_FAULT_SECONDS = 60;
const DEFAULT_MINUTES = 30;
/** After the table, how long the process may take to exit on its own before it names what is still open and exits. */
const EXIT_GRACE_MS = 3_000;

class SoakUsageError extends Error {
  readonly code = 'SOAK_USAGE';
  constructor(message: string) {
    super(`${message}\nusage: npm run test:faults -- --minutes <n> [--seed <s>] [--fault-seconds <n>]`);
    this.name = 'SoakUsageError';
  }
}

function positiveNumber(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!(value > 0)) throw new SoakUsageError(`--${name} takes a positive number, not '${text}'`);
  return value;
}

function options(): { budgetMs: number; firstSeed: number; faultMs: number } {
  const { values } = parseArgs({ options: { minutes: { type: 'string' }, seed: { type: 'string' }, 'fault-seconds': { type: 'string' } } });
  const firstSeed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  if (!Number.isInteger(firstSeed)) throw new SoakUsageError(`--seed takes an integer, not '${values.seed}'`);
  return {
    budgetMs: positiveNumber('minutes', values.minutes, DEFAULT_MINUTES) * 60_000,
    firstSeed,
    faultMs: positiveNumber('fault-seconds', values['fault-seconds'], DEFAULT_FAULT_SECONDS) * 1_000,
  };
}

const say = (line: string) => process.stdout.write(`${line}\n`);

async function runOne(name: string, scenario: Scenario, seed: number, faultMs: number): Promise<ScenarioResult> {
  const startedAt = performance.now();
  const result = await scenario(seed, faultMs).catch(
    (error: unknown): ScenarioResult => ({ scenario: name, seed, operationsChecked: 0, faultsInjected: 0, violations: [`the scenario failed: ${error instanceof Error ? error.stack : String(error)}`], faultLog: [] }),
  );
  say(`${name} seed ${seed}: ${result.operationsChecked} ops checked, ${result.faultsInjected} faults, ${result.violations.length} violations (${((performance.now() - startedAt) / 1000).toFixed(0)} s)`);
  if (result.violations.length > 0) {
    say(`  replay: FAULT_SEED=${seed} (scenario ${name})`);
    for (const line of [...result.faultLog, ...result.violations.map((violation) => `VIOLATION ${violation}`)]) say(`  ${line}`);
    if (result.excerpt !== undefined) say(result.excerpt);
  }
  return result;
}

function table(results: readonly ScenarioResult[]): string {
  const rows = [['scenario', 'seed', 'ops checked', 'faults', 'violations'], ...results.map((r) => [r.scenario, String(r.seed), String(r.operationsChecked), String(r.faultsInjected), String(r.violations.length)])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`;
  return [line(rows[0]!), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

async function main(): Promise<void> {
  const { budgetMs, firstSeed, faultMs } = options();
  const seeds = mulberry32(firstSeed);
  const startedAt = performance.now();
  const results: ScenarioResult[] = [];
  say(`fault soak: ${budgetMs / 60_000} min, first seed ${firstSeed}, ${faultMs / 1000} s of faults per run`);
  for (let run = 0; run === 0 || performance.now() - startedAt + faultMs + RUN_OVERHEAD_MS <= budgetMs; run += 1) {
    const [name, scenario] = SCENARIOS[run % SCENARIOS.length]!;
    const seed = run === 0 ? firstSeed : Math.floor(seeds() * 2 ** 31);
    results.push(await runOne(name, scenario, seed, faultMs));
  }
  say(`\n${table(results)}`);
  const failed = results.filter((result) => result.violations.length > 0);
  say(`${results.length} runs in ${((performance.now() - startedAt) / 60_000).toFixed(1)} min; ${failed.length} with violations`);
  process.exitCode = failed.length > 0 ? 1 : 0;
  // A client a scenario closed can leave timers behind; they must not keep a finished soak alive.
  setTimeout(() => {
    process.stderr.write(`still open ${EXIT_GRACE_MS} ms after the last run (a leak to look into): ${process.getActiveResourcesInfo().join(', ')}\n`);
    process.exit();
  }, EXIT_GRACE_MS).unref();
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
