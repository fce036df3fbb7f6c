/**
 * Faults against a real 3-process Barista ensemble: kill -9 of the leader while clients write,
 * of a follower, and of every server at once. Whatever a client saw acknowledged must survive.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import type { CoordClient } from '../../core/coord/client/coord-client.js';
import { ZooKeeperError } from '../../core/coord/client/errors.js';
import { ErrorCode } from '../../core/coord/zookeeper-constants.js';
import { CoordClients, startCoordEnsemble, type CoordEnsemble } from '../support/coord.js';

let ensemble: CoordEnsemble | undefined;
const clients = new CoordClients();
const connect = (connectString: string) => clients.connect(connectString);

afterEach(async () => {
  await clients.closeAll();
  await ensemble?.stop();
  ensemble = undefined;
});

/** Creates /acked/<n> until stopped; returns the names whose create was acknowledged. */
/** Enough acknowledged writes to make "none lost" meaningful, counted rather than timed so a
 * loaded CI machine changes how long a test takes, not what it checks. */
const WRITES_TO_CHECK = 20;

function writeContinuously(client: CoordClient, prefix: string): { stop: () => Promise<string[]>; reached: (count: number) => Promise<void> } {
  const acknowledged: string[] = [];
  let running = true;
  const loop = (async () => {
    for (let n = 0; running; n += 1) {
      const path = `${prefix}/${n}`;
      try {
        await client.create(path, String(n));
        acknowledged.push(path);
      } catch (error) {
        // A lost connection leaves the outcome unknown (the create may have applied): retrying
        // the same path would turn that into NODEEXISTS, so move on to the next name instead.
        if (!(error instanceof ZooKeeperError && (error.retriable || error.code === ErrorCode.NODEEXISTS))) throw error;
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return acknowledged;
    },
    reached: async (count) => {
      while (acknowledged.length < count) await new Promise((resolve) => setTimeout(resolve, 20));
    },
  };
}

async function childrenOn(port: number, path: string): Promise<Set<string>> {
  const client = await connect(`127.0.0.1:${port}`);
  await client.sync(path);
  return new Set((await client.getChildren(path)).map((child) => `${path}/${child}`));
}

async function waitForLeader(target: CoordEnsemble, excluding: number, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    for (let index = 0; index < target.ports.length; index += 1) {
      if (index !== excluding && (await target.mode(index)) === 'leader') return index;
    }
    if (Date.now() > deadline) throw new Error(`no new leader within ${withinMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('coordination ensemble under kill -9', () => {
  it('elects a new leader within 2 s of the leader dying, keeps every acknowledged write, and the dead server catches up', async () => {
    ensemble = await startCoordEnsemble({ servers: 3 });
    const client = await connect(ensemble.connectString);
    await client.create('/acked');
    const writer = writeContinuously(client, '/acked');
    await new Promise((resolve) => setTimeout(resolve, 300));
    const leader = (await ensemble.leaderIndex())!;
    const killedAt = Date.now();
    await ensemble.kill(leader);
    const newLeader = await waitForLeader(ensemble, leader, 2_000);
    const electionMs = Date.now() - killedAt;
    await writer.reached(WRITES_TO_CHECK);
    const acknowledged = await writer.stop();
    console.log(`election took ${electionMs} ms; ${acknowledged.length} writes acknowledged`);
    expect(newLeader).not.toBe(leader);
    expect(electionMs).toBeLessThan(2_000);
    expect(acknowledged.length).toBeGreaterThanOrEqual(WRITES_TO_CHECK);
    for (const index of [0, 1, 2].filter((i) => i !== leader)) {
      const present = await childrenOn(ensemble.ports[index]!, '/acked');
      expect(acknowledged.filter((path) => !present.has(path))).toEqual([]);
    }
    await ensemble.restart(leader);
    const caughtUp = await childrenOn(ensemble.ports[leader]!, '/acked');
    expect(acknowledged.filter((path) => !caughtUp.has(path))).toEqual([]);
  }, 60_000);

  it('keeps serving with a follower killed, and loses nothing when every server is killed and restarted', async () => {
    ensemble = await startCoordEnsemble({ servers: 3 });
    const leader = (await ensemble.leaderIndex())!;
    const follower = [0, 1, 2].find((index) => index !== leader)!;
    await ensemble.kill(follower);
    const client = await connect(ensemble.connectString);
    await client.create('/durable');
    const writer = writeContinuously(client, '/durable');
    await writer.reached(WRITES_TO_CHECK);
    const acknowledged = await writer.stop();
    await client.close();
    expect(acknowledged.length).toBeGreaterThanOrEqual(WRITES_TO_CHECK);
    await Promise.all([0, 1, 2].map((index) => ensemble!.kill(index)));
    await Promise.all([0, 1, 2].map((index) => ensemble!.restart(index)));
    await waitForLeader(ensemble, -1, 10_000);
    for (const index of [0, 1, 2]) {
      const present = await childrenOn(ensemble.ports[index]!, '/durable');
      expect(acknowledged.filter((path) => !present.has(path))).toEqual([]);
    }
  }, 60_000);

  it('keeps serving with the leader partitioned away, never acknowledges a write on the isolated side, and heals', async () => {
    ensemble = await startCoordEnsemble({ servers: 3, partitionable: true });
    const leader = (await ensemble.leaderIndex())!;
    const majority = [0, 1, 2].filter((index) => index !== leader);
    const isolatedClient = await connect(`127.0.0.1:${ensemble.ports[leader]}`);
    const majorityClient = await connect(majority.map((index) => `127.0.0.1:${ensemble!.ports[index]}`).join(','));
    await majorityClient.create('/split');
    await majorityClient.sync('/split');
    ensemble.partition(leader);
    const newLeader = await waitForLeader(ensemble, leader, 5_000);
    expect(majority).toContain(newLeader);
    // The old leader has lost its quorum: whatever it says, it must not acknowledge this write.
    const isolatedWrite = await isolatedClient.create('/split/from-the-minority').then(
      () => 'acknowledged',
      (error: unknown) => (error as ZooKeeperError).codeName,
    );
    expect(isolatedWrite).not.toBe('acknowledged');
    const writer = writeContinuously(majorityClient, '/split');
    await writer.reached(WRITES_TO_CHECK);
    const acknowledged = await writer.stop();
    expect(acknowledged.length).toBeGreaterThanOrEqual(WRITES_TO_CHECK);
    ensemble.heal(leader);
    const deadline = Date.now() + 10_000;
    let healed = await childrenOn(ensemble.ports[leader]!, '/split');
    while (acknowledged.some((path) => !healed.has(path)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      healed = await childrenOn(ensemble.ports[leader]!, '/split');
    }
    expect(acknowledged.filter((path) => !healed.has(path))).toEqual([]);
    expect(healed.has('/split/from-the-minority')).toBe(false);
  }, 60_000);
});
