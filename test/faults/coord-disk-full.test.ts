/**
 * Disk full on one member of a 3-server coord ensemble: its data dir is a small tmpfs that fills
 * up under a write load. It must not acknowledge what it could not persist; the other two keep
 * serving; once space is freed and it restarts, nothing acknowledged is lost and it catches up.
 * Needs root (mount); under STRICT=1 (CI) its absence fails the suite instead of skipping it.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, rename, rm } from 'node:fs/promises';
import { EXIT_STORAGE_FAILED } from '../../core/cli/coord.js';
import { CoordClient } from '../../core/coord/client/coord-client.js';
import { ZooKeeperError } from '../../core/coord/client/errors.js';
import { ErrorCode } from '../../core/coord/zookeeper-constants.js';
import { startCoordEnsemble, type CoordEnsemble } from '../support/coord.js';
import { STRICT } from '../support/tools.js';
import { until } from '../support/until.js';
import { fourLetterWord } from '../support/zookeeper.js';

/** Room left on the full member's tmpfs: a few hundred small creates fill it. */
const FREE_KIB = 48;
/** Size the tmpfs grows to when space is "freed". */
const FREED_SIZE = '16m';
/** Creates in flight at once, so filling the disk takes seconds, not minutes. */
const CONCURRENT_WRITES = 8;
/** Writes the two healthy members must acknowledge after the third's disk filled. */
const WRITES_AFTER_FULL = 30;

const CAN_MOUNT = process.getuid?.() === 0;

let ensemble: CoordEnsemble | undefined;
let mountPoint: string | undefined;
const clients: CoordClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
  if (ensemble !== undefined && mountPoint !== undefined) await ensemble.kill(0);
  if (mountPoint !== undefined) execFileSync('umount', [mountPoint]);
  mountPoint = undefined;
  await ensemble?.stop();
  ensemble = undefined;
});

async function connect(ports: number[]): Promise<CoordClient> {
  const client = await CoordClient.connect(ports.map((port) => `127.0.0.1:${port}`).join(','), { sessionTimeoutMs: 10_000 });
  clients.push(client);
  return client;
}

async function childrenOn(port: number, path: string): Promise<Set<string>> {
  const client = await connect([port]);
  try {
    await client.sync(path);
    return new Set(await client.getChildren(path));
  } finally {
    await client.close();
  }
}

/** Moves a stopped member's data dir onto a tmpfs with `freeKib` of room beyond what it holds. */
async function moveOntoSmallTmpfs(dataDir: string, freeKib: number): Promise<void> {
  const usedKib = Number(execFileSync('du', ['-sk', dataDir]).toString().split('\t')[0]);
  await rename(dataDir, `${dataDir}.before`);
  await mkdir(dataDir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${usedKib + freeKib}k`, 'tmpfs', dataDir]);
  mountPoint = dataDir;
  await cp(`${dataDir}.before`, dataDir, { recursive: true });
  await rm(`${dataDir}.before`, { recursive: true });
}

/** Creates /full/<n> with CONCURRENT_WRITES in flight until `enough()`; returns what was acknowledged. */
async function writeUntil(client: CoordClient, first: number, enough: (acknowledged: number) => boolean): Promise<string[]> {
  const acknowledged: string[] = [];
  let next = first;
  const worker = async () => {
    while (!enough(acknowledged.length)) {
      const name = String(next++);
      try {
        await client.create(`/full/${name}`, 'x'.repeat(64));
        acknowledged.push(name);
      } catch (error) {
        // Unknown outcome (a member died under us): move on to a fresh name.
        if (!(error instanceof ZooKeeperError && (error.retriable || error.code === ErrorCode.NODEEXISTS))) throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENT_WRITES }, worker));
  return acknowledged;
}

(CAN_MOUNT || STRICT ? describe : describe.skip)('coord ensemble with one member out of disk space', () => {
  it('stops that member acknowledging, keeps serving with the other two, and loses nothing once space is freed', async () => {
    if (!CAN_MOUNT) throw new Error('coord-disk-full needs root to mount a tmpfs');
    ensemble = await startCoordEnsemble({ servers: 3 });
    const full = 0;
    const [fullPort, ...healthyPorts] = ensemble.ports as [number, number, number];
    const dataDir = /dataDir=(.*)/.exec(await fourLetterWord(fullPort, 'conf'))![1]!;
    await ensemble.kill(full);
    await moveOntoSmallTmpfs(dataDir, FREE_KIB);
    await ensemble.restart(full);
    const fullProcess = ensemble.processes[full]!;

    const writer = await connect(healthyPorts);
    await writer.create('/full');
    const storageFailed = () => /raft storage failed/.test(fullProcess.output()) || !fullProcess.running;
    const beforeFull = await writeUntil(writer, 0, () => storageFailed());
    // It stops (as ZooKeeper exits) rather than serve stale reads and leave writes hanging.
    expect(await fullProcess.waitForExit()).toBe(EXIT_STORAGE_FAILED);
    expect(fullProcess.output()).toMatch(/ENOSPC|no space/i);
    const afterFull = await writeUntil(writer, 1_000_000, (count) => count >= WRITES_AFTER_FULL);
    console.log(`[coord-disk-full] ${beforeFull.length} writes acknowledged until the member's disk filled, ${afterFull.length} after`);
    expect(afterFull.length).toBeGreaterThanOrEqual(WRITES_AFTER_FULL);
    const acknowledged = [...beforeFull, ...afterFull];
    for (const port of healthyPorts) {
      const present = await childrenOn(port, '/full');
      expect(acknowledged.filter((name) => !present.has(name))).toEqual([]);
    }

    execFileSync('mount', ['-o', `remount,size=${FREED_SIZE}`, dataDir]);
    await ensemble.restart(full);
    await until('the member whose disk filled to catch up', async () => {
      const present = await childrenOn(fullPort, '/full');
      return acknowledged.every((name) => present.has(name));
    }, 30_000, 200);
  }, 60_000);
});
