/**
 * A serving node's coord session expiring after a pause longer than the session timeout must not
 * leave the node out of the cluster: its ephemeral registration and its watch die with the
 * session, so it registers again on a new one. And a wall clock stepped back past the session
 * timeout must not take it out either (the coord client once timed its pings by the wall clock and
 * went quiet until the clock caught up, which expired the session; it now times them on the
 * monotonic clock, and the node simply stays counted up). Three real `barista serve` nodes around
 * one coord server; the first node is the one disturbed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Redis } from 'ioredis';
import { CoordClient } from '../../core/coord/client/coord-client.js';
import { NODES_PATH } from '../../serving/node/membership.js';
import { SERVING_SESSION_TIMEOUT_MS } from '../../serving/node/serving-node.js';
import { startCoordEnsemble, type CoordEnsemble } from '../support/coord.js';
import { until } from '../support/until.js';
import { pauseProcess, resumeProcess, sleep } from './harness/scenario.js';
import { ServingCluster } from './harness/serving-scenario.js';

/** How long the peers may take to see the node again once its session expired (expiry, then registering again). */
const REJOIN_TIMEOUT_MS = 30_000;
/** The node's clock runs this far ahead, then steps back: well past the session timeout. */
const STEP_BACK_MS = 2 * SERVING_SESSION_TIMEOUT_MS;
const SKEW_HOLD_MS = 1_500;

describe('serving: a node whose coord session expired', () => {
  let workDir: string;
  let coord: CoordEnsemble;
  let observer: CoordClient;
  let cluster: ServingCluster;
  let clients: Redis[];
  const first = () => cluster.nodes[0]!;
  /** Whether an R=3 read through `node` works, which needs it to count every node up. */
  const readsEveryReplica = async (node: number) => {
    const replies = await clients[node]!.pipeline().call('BARISTA.CONSISTENCY', 'R', '3').get('probe').exec();
    return replies?.[1]?.[0] === null;
  };
  const everyoneSeesEveryone = async () => (await Promise.all(clients.map((_, node) => readsEveryReplica(node)))).every(Boolean);
  const registrationOfFirst = async () => (await observer.exists(`${NODES_PATH}/${first().id}`))?.ephemeralOwner;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'barista-session-expiry-'));
    coord = await startCoordEnsemble({ servers: 1, tickTimeMs: 500 });
    observer = await CoordClient.connect(coord.connectString);
    cluster = await ServingCluster.create(workDir, coord.connectString, true);
    for (let node = 0; node < cluster.nodes.length; node += 1) await cluster.start(node);
    clients = cluster.nodes.map((_, node) => cluster.connect(node));
    await until('every node to count every node up', everyoneSeesEveryone, REJOIN_TIMEOUT_MS, 200);
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
    await observer?.close();
    await coord?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('registers again after a pause longer than the session timeout, and its peers count it up', async () => {
    const before = await registrationOfFirst();
    expect(before).toBeDefined();
    pauseProcess(first().process);
    try {
      await until('the paused node registration to expire', async () => (await registrationOfFirst()) === undefined, SERVING_SESSION_TIMEOUT_MS * 4, 200);
    } finally {
      resumeProcess(first().process);
    }
    // Peers may still count it up from before they heard of the expiry: first the new registration.
    await until('a registration on a new session', async () => ![undefined, before].includes(await registrationOfFirst()), REJOIN_TIMEOUT_MS, 200);
    await until('every node to count every node up again', everyoneSeesEveryone, REJOIN_TIMEOUT_MS, 200);
    expect(first().process!.output()).toContain('registered in coord again');
  }, 60_000);

  it('is counted up by its peers again after its wall clock stepped back past the session timeout', async () => {
    await first().clock!.setOffset(STEP_BACK_MS);
    await sleep(SKEW_HOLD_MS);
    await first().clock!.setOffset(0);
    // Long enough for a session whose pings went quiet at the step to expire.
    await sleep(SERVING_SESSION_TIMEOUT_MS * 2);
    await until('every node to count every node up again', everyoneSeesEveryone, REJOIN_TIMEOUT_MS, 200);
  }, 60_000);
});
