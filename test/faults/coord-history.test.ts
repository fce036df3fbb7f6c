/**
 * A history test of the coordination ensemble under kill -9: clients race compare-and-set
 * increments, reads and sync + reads on a few registers (znodes) while a nemesis kills and
 * restarts servers (the leader and followers) in turn. Every invocation and completion is
 * recorded, then the pure checker in ./history/ holds the history to ZooKeeper's guarantees:
 * linearizable writes, per-session sequentially consistent reads, fresh reads after sync.
 *
 * The seed (COORD_HISTORY_SEED to replay) drives which operations clients choose and whom the
 * nemesis kills; timing comes from real processes, so a replay is similar, not identical. A
 * failing history is saved as JSON in the temporary directory (every history with COORD_HISTORY_SAVE=1).
 */
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { startCoordEnsemble, type CoordEnsemble } from '../support/coord.js';
import { finalRegisterReads, RegisterRecorder, registerClientLoop } from './harness/coord-register-workload.js';
import type { History } from './history/history.js';
import { checkRegisterHistory } from './history/register-checker.js';
import { describeViolations, summarize } from './history/report.js';
import { mulberry32 } from '../../core/random/mulberry32.js';

const CLIENT_COUNT = 5;
const REGISTERS = ['/history/r0', '/history/r1', '/history/r2'];
const WORKLOAD = { root: '/history', registers: REGISTERS };
const NEMESIS_MS = 12_000;
/** After the last restart the workload goes on this long with every server up. */
const QUIET_MS = 1_000;
/** Before each nemesis round, wait this long at most for the ensemble to have a leader again. */
const LEADER_WAIT_MS = 3_000;
/** A client loop still busy this long after being told to stop is stuck: the test fails. */
const DRAIN_TIMEOUT_MS = 20_000;
const SEED = Number(process.env.COORD_HISTORY_SEED ?? Math.floor(Math.random() * 2 ** 31));

let ensemble: CoordEnsemble | undefined;
let recorder: RegisterRecorder | undefined;

afterEach(async () => {
  await recorder?.closeAll();
  recorder = undefined;
  await ensemble?.stop();
  ensemble = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The leader's index once one is elected, or undefined if none is within `withinMs`. */
async function leaderWithin(target: CoordEnsemble, withinMs: number): Promise<number | undefined> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    const leader = await target.leaderIndex();
    if (leader !== undefined || performance.now() > deadline) return leader;
    await sleep(20);
  }
}

/** Kills (-9) and restarts servers in turn, mostly one at a time; now and then two, losing quorum briefly. */
async function nemesis(target: CoordEnsemble, random: () => number, durationMs: number): Promise<{ kills: number; leaderKills: number }> {
  const deadline = performance.now() + durationMs;
  let [kills, leaderKills] = [0, 0];
  for (let round = 0; performance.now() < deadline; round += 1) {
    const leader = await leaderWithin(target, LEADER_WAIT_MS);
    const followers = [0, 1, 2].filter((index) => index !== leader);
    const victims = [round % 2 === 0 && leader !== undefined ? leader : followers[Math.floor(random() * followers.length)]!];
    if (round % 4 === 3) victims.push([0, 1, 2].find((index) => !victims.includes(index))!);
    for (const victim of victims) {
      await target.kill(victim);
      kills += 1;
      if (victim === leader) leaderKills += 1;
    }
    await sleep(victims.length > 1 ? 300 + random() * 300 : 600 + random() * 900);
    for (const victim of victims) await target.restart(victim);
    await sleep(400 + random() * 600);
  }
  return { kills, leaderKills };
}

/** Keeps a failing history for whoever investigates it. */
async function saveHistory(history: History): Promise<string> {
  const file = join(tmpdir(), `barista-coord-history-${SEED}.json`);
  const replacer = (_key: string, value: unknown) => (typeof value === 'bigint' ? `0x${value.toString(16)}` : value);
  await writeFile(file, JSON.stringify({ seed: SEED, initial: [...history.initial], operations: history.operations }, replacer, 1));
  return file;
}

describe('coordination ensemble history under kill -9', () => {
  it('keeps CAS linearizable, reads monotonic per session and fresh after sync while servers die', async () => {
    const startedAt = performance.now();
    const random = mulberry32(SEED);
    ensemble = await startCoordEnsemble({ servers: 3 });
    recorder = new RegisterRecorder();
    const setup = await recorder.connect(ensemble.connectString);
    await setup.create('/history');
    const initial = new Map<string, { version: number; value: string }>();
    for (const register of REGISTERS) {
      await setup.create(register, '0'); // count 0 at version 0
      initial.set(register, { version: 0, value: '0' });
    }

    const active = recorder;
    let running = true;
    const loops = Array.from({ length: CLIENT_COUNT }, (_, index) => registerClientLoop(active, WORKLOAD, `c${index + 1}`, ensemble!.connectString, mulberry32(SEED + index + 1), () => running));
    // Settled at once, so a client that throws is reported below rather than as an unhandled rejection.
    const loopsDone = Promise.all(loops).then(
      () => 'drained' as const,
      (error: unknown) => error,
    );
    const faults = await nemesis(ensemble, random, NEMESIS_MS);
    await sleep(QUIET_MS);
    running = false;
    let drainTimer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([loopsDone, new Promise<string>((resolve) => (drainTimer = setTimeout(() => resolve(`clients still busy ${DRAIN_TIMEOUT_MS} ms after stop`), DRAIN_TIMEOUT_MS)))]);
    clearTimeout(drainTimer);
    expect(drained).toBe('drained');
    await finalRegisterReads(recorder, WORKLOAD, ensemble.ports);

    const history: History = { initial, operations: recorder.operations };
    const violations = checkRegisterHistory(history);
    const summary = summarize(history);
    console.log(
      `coord history (seed ${SEED}): ${summary.operations} ops (${summary.reads} reads, ${summary.syncs} syncs, ${summary.cas} CAS), ` +
        `${summary.acked} acked, ${summary.unknown} unknown, ${summary.failed} failed; ${faults.kills} kills (${faults.leaderKills} of the leader); ` +
        `${violations.length} violations; ${((performance.now() - startedAt) / 1000).toFixed(1)} s`,
    );
    if (violations.length > 0) console.log(`${describeViolations(history, violations)}\nfull history: ${await saveHistory(history)}`);
    else if (process.env.COORD_HISTORY_SAVE) console.log(`full history: ${await saveHistory(history)}`);
    expect(violations.map((violation) => `${violation.kind}: ${violation.message}`)).toEqual([]);
    expect(summary.acked).toBeGreaterThan(50);
    expect(faults.leaderKills).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
