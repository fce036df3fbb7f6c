/**
 * Clock skew against three real `barista serve` nodes (N=3, R=W=2), one node's wall clock moved
 * by libfaketime while it runs (test/faults/harness/fake-clock.ts). What the serving layer promises
 * under skew (docs/serving.md, "Clocks"):
 * - a key's writes through one node stay in order and every acknowledged one survives, whatever
 *   that node's clock does (the nemesis run, clock skews only);
 * - that holds across a restart: a node killed after its clock was stepped back does not stamp
 *   its next writes below its earlier ones;
 * - a compare-and-set (INCR, SET NX, …) on a key a node more than the HLC drift limit ahead wrote
 *   is refused with CLOCK_DRIFT_EXCEEDED, and no node dies of it;
 * - wall-clock bounds: a TTL is judged by each node's clock, so it is off by the skew between the
 *   writing and the reading node; a write through another node wins over an earlier one once they
 *   are further apart than the skew.
 * A clock stepped back past the coord session timeout: clock-skew-session.test.ts.
 * `FAULT_SEED=<seed>` replays another nemesis schedule.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { DEFAULT_HLC_MAX_DRIFT_MS } from '../../core/clock/limits.js';
import { startCoordEnsemble, type CoordEnsemble } from '../support/coord.js';
import { until } from '../support/until.js';
import { faultSeed, sleep } from './harness/scenario.js';
import { ServingCluster, servingScenario } from './harness/serving-scenario.js';

const SEED = faultSeed(20_261_128);
const NEMESIS_DURATION_MS = 20_000;
const NEMESIS_TIMEOUT_MS = 90_000;
/** Skews below the drift limit, large against loopback latency. */
const SKEW_MS = 3_000;
const TTL_MS = 5_000;
/** Ahead by more than a restart takes (the wait for the killed node's coord session included). */
const RESTART_SKEW_MS = 60_000;
/** Loopback round trips and a loaded machine: how far a remaining TTL may fall short of the exact figure. */
const LATENCY_MARGIN_MS = 1_500;

describe('serving: nemesis with clock skews', () => {
  it(
    'keeps every acknowledged write and converges the replicas while node clocks jump ahead and back',
    async () => {
      const result = await servingScenario(SEED, NEMESIS_DURATION_MS, () => undefined, ['clock-skew']);
      console.log([`clock-skew (FAULT_SEED=${result.seed}): ${result.operationsChecked} operations checked, ${result.faultsInjected} faults`, ...result.faultLog, ...result.violations.map((v) => `VIOLATION ${v}`)].join('\n  '));
      expect(result.violations).toEqual([]);
      expect(result.faultsInjected).toBeGreaterThanOrEqual(2);
      expect(result.operationsChecked).toBeGreaterThan(50);
    },
    NEMESIS_TIMEOUT_MS,
  );
});

describe('serving: one node with a skewed clock', () => {
  let workDir: string;
  let coord: CoordEnsemble;
  let cluster: ServingCluster;
  let clients: Redis[];
  const skewFirstNode = (offsetMs: number) => cluster.nodes[0]!.clock!.setOffset(offsetMs);
  // In this order: a node's stamps stay ahead after its clock is put back (they never go back), so
  // each test leaves the clocks the next ones assume: the plain order test first, the restart last.

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'barista-clock-skew-'));
    coord = await startCoordEnsemble({ servers: 1, tickTimeMs: 500 });
    cluster = await ServingCluster.create(workDir, coord.connectString, true);
    for (let node = 0; node < cluster.nodes.length; node += 1) await cluster.start(node);
    clients = cluster.nodes.map((_, node) => cluster.connect(node));
    await until('every node taking writes', async () => (await Promise.all(clients.map((client) => client.set('ready', '1').catch(() => 'refused')))).every((answer) => answer === 'OK'), 30_000);
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
    await coord?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('lets a write through another node win over an earlier one once they are further apart than the skew', async () => {
    await skewFirstNode(SKEW_MS);
    try {
      await clients[0]!.set('owner', 'fast-node');
      await sleep(SKEW_MS + LATENCY_MARGIN_MS);
      await clients[1]!.set('owner', 'true-clock-node');
    } finally {
      await skewFirstNode(0);
    }
    await clients[2]!.call('BARISTA.CONSISTENCY', 'R', '3');
    expect(await clients[2]!.get('owner')).toBe('true-clock-node');
    await clients[2]!.call('BARISTA.CONSISTENCY', 'DEFAULT');
  }, 30_000);

  it('judges a TTL by the reading node\'s clock: off by the skew between writer and reader', async () => {
    await skewFirstNode(SKEW_MS);
    try {
      await clients[0]!.set('session', 'open', 'PX', TTL_MS);
      const [onWriter, onOther] = [await clients[0]!.pttl('session'), await clients[1]!.pttl('session')];
      expect(onWriter).toBeLessThanOrEqual(TTL_MS);
      expect(onWriter).toBeGreaterThan(TTL_MS - LATENCY_MARGIN_MS);
      expect(onOther).toBeLessThanOrEqual(TTL_MS + SKEW_MS);
      expect(onOther).toBeGreaterThan(TTL_MS + SKEW_MS - LATENCY_MARGIN_MS);

      // Behind by more than the TTL: the key is born expired everywhere else.
      await skewFirstNode(-(TTL_MS + SKEW_MS));
      await clients[0]!.set('late', 'v', 'PX', TTL_MS);
      expect(await clients[0]!.get('late')).toBe('v');
      expect(await clients[1]!.get('late')).toBeNull();
    } finally {
      await skewFirstNode(0);
    }
  }, 30_000);

  it('refuses an INCR on a key a node beyond the drift limit ahead wrote, and keeps serving', async () => {
    await skewFirstNode(DEFAULT_HLC_MAX_DRIFT_MS + 5_000);
    try {
      await clients[0]!.set('counter', '1');
      await expect(clients[1]!.incr('counter')).rejects.toThrow(/CLOCK_DRIFT_EXCEEDED|ahead of the local clock/);
      expect(cluster.nodes.every((node) => node.process?.running)).toBe(true);
      expect(await clients[1]!.get('counter')).toBe('1');
    } finally {
      await skewFirstNode(0);
    }
    // Once real time is within the drift limit of the stamp, the INCR outstamps it and wins.
    await until('the INCR to be taken', async () => (await clients[1]!.incr('counter')) === 2, 30_000, 200);
    await clients[2]!.call('BARISTA.CONSISTENCY', 'R', '3');
    expect(await clients[2]!.get('counter')).toBe('2');
    await clients[2]!.call('BARISTA.CONSISTENCY', 'DEFAULT');
  }, 60_000);

  it('keeps a write acknowledged after a restart that followed a step back of the clock', async () => {
    await skewFirstNode(RESTART_SKEW_MS);
    await clients[0]!.set('journal', 'written-while-fast');
    await skewFirstNode(0);
    await clients[0]!.set('journal', 'written-after-the-step-back');
    await cluster.kill(0);
    await cluster.start(0);
    await until('the restarted node to take a write', async () => (await clients[0]!.set('journal', 'written-after-the-restart')) === 'OK', 30_000, 200);
    let read: unknown;
    await until('an R=3 read (every node counted up again)', async () => {
      read = (await clients[2]!.pipeline().call('BARISTA.CONSISTENCY', 'R', '3').get('journal').exec())?.[1]?.[1];
      return read !== undefined;
    }, 30_000, 200);
    expect(read).toBe('written-after-the-restart');
  }, 60_000);
});
