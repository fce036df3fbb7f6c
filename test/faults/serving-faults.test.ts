/**
 * Five serving processes, N=3, R=W=2, under a concurrent write workload: one node is killed
 * with -9, another is cut off from its peers (a TCP proxy in front of its peer port), then both
 * come back. While the dead replica is still registered, fifteen clients race SET NX on one key
 * through three coordinators: exactly one wins. Every acknowledged write survives: after the faults heal, R=2 reads see at least the
 * latest acknowledged value of every key and reads of all three replicas (R=3) converge on it.
 *
 * During the faults a read right after an acknowledged write may still miss it: Dynamo's sloppy
 * quorum counts a fallback's hinted copy towards W, and a coordinator that has not (or no longer)
 * suspects the down replica reads the real replicas instead of that fallback. Fallbacks serve
 * their hints to reads, which closes most of that window; the test bounds what is left and
 * prints it.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { BARISTA_BIN } from '../support/barista.js';
import { startCoordEnsemble } from '../support/coord.js';
import { freePort, waitForPort } from '../support/ports.js';
import { startProcess, type ManagedProcess } from '../support/processes.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const NODES = ['n1', 'n2', 'n3', 'n4', 'n5'];
const WRITERS = 4;
const KEYS_PER_WRITER = 25;
/** Share of read-after-acknowledged-write checks during the faults allowed to miss (see above). */
const STALE_READ_BOUND = 0.01;
const COORD_TICK_MS = 500;

describe('serving cluster under kill -9 and a partition', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch(() => undefined);
  });

  it('loses no acknowledged write and converges after the faults heal', async () => {
    const workDir = await mkdtemp(join(tmpdir(), 'barista-serving-faults-'));
    cleanup.push(() => rm(workDir, { recursive: true, force: true }));
    const coord = await startCoordEnsemble({ servers: 1, tickTimeMs: COORD_TICK_MS });
    cleanup.push(() => coord.stop());
    const respPorts = new Map<string, number>();
    const peerPorts = new Map<string, number>();
    for (const id of NODES) {
      respPorts.set(id, await freePort());
      peerPorts.set(id, await freePort());
    }
    // n4's peers reach it only through this proxy: cutting it partitions n4 away.
    const proxy = await TcpProxy.start(peerPorts.get('n4')!);
    cleanup.push(() => proxy.close());
    const processes = new Map<string, ManagedProcess>();
    const start = async (id: string) => {
      const args = [BARISTA_BIN, '--log-level', 'warn', 'serve', '--id', id, '--port', String(respPorts.get(id)), '--peer-port', String(peerPorts.get(id)), '--data-dir', join(workDir, id), '--coord', coord.connectString];
      if (id === 'n4') args.push('--advertise-peer-port', String(proxy.port));
      processes.set(id, await startProcess({ name: `serve ${id}`, command: process.execPath, args, ready: () => waitForPort(respPorts.get(id)!, 100).then(() => true, () => false) }));
    };
    for (const id of NODES) await start(id);
    cleanup.push(async () => Promise.all([...processes.values()].map((p) => p.stop())));
    const clients: Redis[] = [];
    const connect = (id: string) => {
      const redis = new Redis({ port: respPorts.get(id)!, maxRetriesPerRequest: 0, enableOfflineQueue: false, lazyConnect: false });
      redis.on('error', () => undefined);
      clients.push(redis);
      return redis;
    };
    cleanup.push(async () => clients.forEach((client) => client.disconnect()));
    // Wait until every node knows the whole ring.
    const probe = connect('n1');
    const ready = Date.now() + 20_000;
    while ((await probe.set('probe', 'x').catch(() => 'no')) !== 'OK' && Date.now() < ready) await new Promise((resolve) => setTimeout(resolve, 200));

    // Writers 0..3 on n1..n3 (never faulted), each owning its keys and writing increasing sequence numbers.
    const acked = new Map<string, number>();
    let stopping = false;
    let violations: string[] = [];
    let reads = 0;
    const writer = async (w: number) => {
      const writeClient = connect(NODES[w % 3]!);
      const readClient = connect(NODES[(w + 1) % 3]!);
      for (let seq = 1; !stopping; seq++) {
        const key = `w${w}-k${seq % KEYS_PER_WRITER}`;
        const ok = await writeClient.set(key, String(seq)).then(() => true, () => false);
        // A refused command can fail at once (no connection yet): yield, or this loop starves the timers.
        if (!ok) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        acked.set(key, seq);
        // R + W > N: a read through another node right after the acknowledgement sees it.
        const read = await readClient.get(key).catch(() => undefined);
        if (read !== undefined) reads++;
        if (read !== undefined && (read === null || Number(read) < seq)) violations.push(`${key}: read ${read} after acknowledged ${seq}`);
      }
    };
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const writers = Array.from({ length: WRITERS }, (_, w) => writer(w));
    await pause(2_000);
    await processes.get('n5')!.kill9();
    await pause(1_000);
    // With a replica dead (and its coord session not yet expired), many clients race SET NX on
    // one key through three coordinators: Paxos lets exactly one win.
    const racers = Array.from({ length: 15 }, (_, i) => connect(NODES[i % 3]!));
    await Promise.all(racers.map((client) => new Promise((resolve) => (client.status === 'ready' ? resolve(undefined) : client.once('ready', resolve)))));
    const claims = await Promise.all(racers.map((client, i) => client.set('leader', `racer-${i}`, 'NX').catch((error: Error) => `error: ${error.message}`)));
    const winners = claims.flatMap((claim, i) => (claim === 'OK' ? [i] : []));
    expect(winners).toHaveLength(1);
    expect(claims.filter((claim) => claim !== 'OK' && claim !== null)).toEqual([]);
    expect(await racers[7]!.get('leader')).toBe(`racer-${winners[0]}`);
    await pause(2_000);
    proxy.cut();
    await pause(3_000);
    await start('n5');
    proxy.heal();
    await pause(3_000);
    stopping = true;
    await Promise.all(writers);
    expect(acked.size).toBeGreaterThan(WRITERS * KEYS_PER_WRITER * 0.8);
    console.log(`${reads} reads after acknowledged writes during the faults; ${violations.length} missed the write (sloppy quorum): ${violations.slice(0, 5).join('; ')}`);
    expect(violations.length).toBeLessThanOrEqual(Math.ceil(reads * STALE_READ_BOUND));

    // After healing: R=2 never below the acknowledged value; R=3 (all replicas) converges on it.
    const checker = connect('n2');
    const all = connect('n3');
    await Promise.all([checker, all].map((client) => new Promise((resolve) => (client.status === 'ready' ? resolve(undefined) : client.once('ready', resolve)))));
    await all.call('BARISTA.CONSISTENCY', 'R', '3');
    violations = [];
    for (const [key, seq] of acked) {
      const value = Number(await checker.get(key));
      if (!(value >= seq)) violations.push(`${key}: R=2 read ${value}, acknowledged ${seq}`);
    }
    expect(violations).toEqual([]);
    const deadline = Date.now() + 30_000;
    let lagging: string[] = [...acked.keys()];
    while (lagging.length > 0 && Date.now() < deadline) {
      const next: string[] = [];
      for (const key of lagging) {
        const [quorum, everyone] = await Promise.all([checker.get(key), all.get(key).catch(() => null)]);
        if (everyone === null || quorum !== everyone) next.push(key);
      }
      lagging = next;
      if (lagging.length > 0) await pause(500);
    }
    expect(lagging).toEqual([]);
  }, 120_000);
});
