/**
 * A serving node suspects a peer that failed a request for SUSPECT_AFTER_FAILURE_MS, timed on the
 * monotonic clock: a wall clock stepped back meanwhile must not keep the peer counted down for the
 * size of the step on top (it did: a 30 s step back kept the peer down for 32 s). Three real
 * `barista serve` nodes on libfaketime clocks; no randomness, so there is no seed to log.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { SUSPECT_AFTER_FAILURE_MS } from '../../serving/node/cluster-io.js';
import { startCoordEnsemble, type CoordEnsemble } from '../support/coord.js';
import { until } from '../support/until.js';
import { pauseProcess, resumeProcess } from './harness/scenario.js';
import { ServingCluster } from './harness/serving-scenario.js';

/** The size of the step back: fifteen suspicion periods. */
const STEP_BACK_MS = 30_000;
/** Time for the suspicion to lapse and a read to go round, well short of the step. */
const RECOVERY_TIMEOUT_MS = SUSPECT_AFTER_FAILURE_MS + 8_000;
const START_TIMEOUT_MS = 30_000;

describe('serving: a peer suspected just before the wall clock steps back', () => {
  let workDir: string;
  let coord: CoordEnsemble;
  let cluster: ServingCluster;
  let clients: Redis[];
  /** An R=3 read through `node`: null when it counted every replica up, else the error. */
  const readEveryReplica = async (node: number) => {
    const replies = await clients[node]!.pipeline().call('BARISTA.CONSISTENCY', 'R', '3').get('probe').exec();
    return replies?.[1]?.[0] ?? null;
  };
  const everyoneSeesEveryone = async () => (await Promise.all(clients.map((_, node) => readEveryReplica(node)))).every((error) => error === null);

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'barista-clock-step-suspicion-'));
    coord = await startCoordEnsemble({ servers: 1, tickTimeMs: 500 });
    cluster = await ServingCluster.create(workDir, coord.connectString, true);
    for (let node = 0; node < cluster.nodes.length; node += 1) await cluster.start(node);
    clients = cluster.nodes.map((_, node) => cluster.connect(node));
    await until('every node to count every node up', everyoneSeesEveryone, START_TIMEOUT_MS, 200);
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
    await coord?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it(`counts the peer up again ${SUSPECT_AFTER_FAILURE_MS} ms after its failure, not ${STEP_BACK_MS / 1_000} s later`, async () => {
    const observer = cluster.nodes[0]!;
    const paused = cluster.nodes[2]!;
    pauseProcess(paused.process);
    try {
      // Paused well within its coord session, so only the failed request marks it down.
      expect(await readEveryReplica(0)).toBeInstanceOf(Error);
      await observer.clock!.setOffset(-STEP_BACK_MS);
    } finally {
      resumeProcess(paused.process);
    }
    try {
      await until('the observer to count the resumed peer up again', async () => (await readEveryReplica(0)) === null, RECOVERY_TIMEOUT_MS, 200);
    } finally {
      await observer.clock!.setOffset(0);
    }
  }, 40_000);
});
