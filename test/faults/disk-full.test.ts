/**
 * Disk full: a service's data directory on a small tmpfs (harness/small-disk.ts) that a ballast
 * file fills mid-run, so that its writes hit ENOSPC. While the disk is full the service refuses
 * writes with its protocol's error — never an acknowledgement for data it could not write — keeps
 * serving reads and stays up; killed with -9 while the disk is still full it starts again (its
 * recovery needs no new space), serves every acknowledged write and still refuses new ones; once
 * the ballast is deleted it takes writes again by itself, without a restart; and after another
 * kill -9 and restart every acknowledged write is there.
 *
 * Each run is seeded (FAULT_SEED replays one): the seed picks how much space the fill leaves, so
 * the first refused write lands at a different point of a segment, data file or page each time.
 * Coord runs on an ordinary disk: only the service under test runs out of space.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { PartitionReader } from '../../core/log/client/partition-reader.js';
import { unsoundIndexFiles } from '../../core/log/storage/test-index-files.js';
import { BARISTA_BIN } from '../support/barista.js';
import { startCoordEnsemble, type CoordEnsemble } from '../support/coord.js';
import { startBroker, type RunningBroker } from '../support/log-brokers.js';
import { checkPartitionHistory, type AckedRecord, type ConsumedRecord } from '../support/log-checker.js';
import { freePort, waitForPort } from '../support/ports.js';
import { startProcess, type ManagedProcess } from '../support/processes.js';
import { until } from '../support/until.js';
import { faultSeed } from './harness/scenario.js';
import { PAGE_BYTES, seededLeaveFreeBytes, SmallDisk } from './harness/small-disk.js';

const SEED = faultSeed(20_261_126);
/** Large enough for the service's start-up files and some writes, small enough to fill at once. */
const DISK_BYTES = 2 * 1024 * 1024;
/** The fill leaves 0 to this many pages free, by the seed. */
const MAX_FREE_PAGES_LEFT = 8;
/** Writes before the disk fills, and after it is freed. */
const WRITES_PER_PHASE = 60;
/** While full: write until this many in a row were refused (and at most WRITES_WHILE_FULL_MAX). */
const REFUSALS_IN_A_ROW = 10;
const WRITES_WHILE_FULL_MAX = 2_000;
/** Large enough that the pages left free run out within a few dozen writes. */
const VALUE_BYTES = 1_000;
/** After the ballast is deleted, writes must succeed again within this (no restart). */
const RECOVERY_TIMEOUT_MS = 15_000;
const COORD_TICK_MS = 500;
const SESSION_TIMEOUT_MS = 3_000;

/** A unique, self-describing value of VALUE_BYTES: the first characters name the write. */
const valueFor = (name: string) => `${name}:`.padEnd(VALUE_BYTES, '.');

console.log(`disk-full faults: FAULT_SEED=${SEED} (the fill leaves ${seededLeaveFreeBytes(SEED, MAX_FREE_PAGES_LEFT) / PAGE_BYTES} pages free)`);

describe('disk full', () => {
  const cleanup: Array<() => Promise<unknown>> = [];
  let coord: CoordEnsemble;
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step().catch((error: unknown) => console.error(`disk-full cleanup: ${String(error)}`));
  });

  /** A small disk in a fresh directory, with coord started once for both services. */
  async function setUp(name: string): Promise<SmallDisk> {
    const root = await mkdtemp(join(tmpdir(), `barista-disk-full-${name}-`));
    cleanup.push(() => rm(root, { recursive: true, force: true }));
    const disk = await SmallDisk.mount(join(root, 'data'), DISK_BYTES);
    cleanup.push(() => disk.unmount());
    if (coord === undefined) {
      coord = await startCoordEnsemble({ servers: 1, tickTimeMs: COORD_TICK_MS });
      cleanup.push(() => coord.stop());
    }
    return disk;
  }

  it('log broker: refuses produce with KAFKA_STORAGE_ERROR while full, restarts on the full disk, takes produce again once freed, and keeps every acknowledged record across kill -9', async () => {
    const disk = await setUp('broker');
    const topic = 'disk-full';
    let broker: RunningBroker = await startBroker({ name: 'barista broker', dataDir: disk.dir, coord: coord.connectString, id: 1, extraArgs: ['--coord-session-timeout', String(SESSION_TIMEOUT_MS)] });
    cleanup.push(() => broker.process.stop());
    const kafka = new Kafka({ brokers: [broker.bootstrap], clientId: 'disk-full', logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const producer: Producer = kafka.producer({ retry: { retries: 0 } });
    await producer.connect();
    cleanup.push(() => producer.disconnect());

    const acked: AckedRecord[] = [];
    const refusals = new Map<string, number>();
    let attempt = 0;
    /** One acks=all send of a unique value; true if acknowledged. */
    const produceOne = async (): Promise<boolean> => {
      const value = valueFor(`m-${attempt++}`);
      try {
        const [result] = await producer.send({ topic, acks: -1, timeout: 5_000, messages: [{ value, partition: 0 }] });
        acked.push({ value, offset: Number(result!.baseOffset) });
        return true;
      } catch (error) {
        const type = kafkaErrorType(error);
        refusals.set(type, (refusals.get(type) ?? 0) + 1);
        return false;
      }
    };

    for (let i = 0; i < WRITES_PER_PHASE; i++) expect(await produceOne()).toBe(true);
    const ackedBeforeFull = acked.length;
    await disk.fill(seededLeaveFreeBytes(SEED, MAX_FREE_PAGES_LEFT));
    let inARow = 0;
    for (let i = 0; i < WRITES_WHILE_FULL_MAX && inARow < REFUSALS_IN_A_ROW; i++) inARow = (await produceOne()) ? 0 : inARow + 1;
    console.log(`broker, disk full: ${acked.length - ackedBeforeFull} produces acknowledged after the fill, refusals ${JSON.stringify(Object.fromEntries(refusals))}`);
    expect(inARow).toBe(REFUSALS_IN_A_ROW);
    expect([...refusals.keys()]).toEqual(['KAFKA_STORAGE_ERROR']);
    expect(broker.process.running).toBe(true);
    // The operator hears of it once, not once per refused produce.
    expect(broker.process.output().match(/partition log disk error/g)).toHaveLength(1);
    // Reads need no space: everything acknowledged so far is readable while the disk is full.
    expect(checkPartitionHistory(acked, await readPartition(broker.port, topic))).toEqual([]);

    // A crash while the disk is full: the broker comes back (recovery needs no new space), serves
    // what was acknowledged, and still refuses what it cannot store.
    await broker.process.kill9();
    broker = await startBroker({ name: 'barista broker (restarted on a full disk)', dataDir: disk.dir, port: broker.port, coord: coord.connectString, id: 1, extraArgs: ['--coord-session-timeout', String(SESSION_TIMEOUT_MS)] });
    expect(checkPartitionHistory(acked, await readPartition(broker.port, topic))).toEqual([]);
    expect(await produceOne()).toBe(false);

    await disk.free();
    await until('a produce acknowledged after the disk was freed', produceOne, RECOVERY_TIMEOUT_MS, 100);
    for (let i = 0; i < WRITES_PER_PHASE; i++) expect(await produceOne()).toBe(true);
    expect(await unsoundIndexFiles(disk.dir)).toEqual([]);

    await broker.process.kill9();
    broker = await startBroker({ name: 'barista broker (restarted)', dataDir: disk.dir, port: broker.port, coord: coord.connectString, id: 1, extraArgs: ['--coord-session-timeout', String(SESSION_TIMEOUT_MS)] });
    const consumed = await readPartition(broker.port, topic);
    console.log(`broker: ${acked.length} acknowledged records checked after the restart (${consumed.length} in the log)`);
    expect(checkPartitionHistory(acked, consumed)).toEqual([]);
    expect(await unsoundIndexFiles(disk.dir)).toEqual([]);
  }, 60_000);

  it('serving node: answers SET with an error while full, still serves GET, restarts on the full disk, takes SET again once freed, and keeps every acknowledged SET across kill -9', async () => {
    const disk = await setUp('serving');
    const port = await freePort();
    const start = () =>
      startProcess({
        name: 'barista serve',
        command: process.execPath,
        args: [BARISTA_BIN, '--log-level', 'warn', 'serve', '--id', 'disk-full', '--port', String(port), '--data-dir', disk.dir, '--coord', coord.connectString, '-n', '1', '-r', '1', '-w', '1', '--fsync', 'always'],
        ready: () => waitForPort(port, 100).then(() => true, () => false),
      });
    let node: ManagedProcess = await start();
    cleanup.push(() => node.stop());
    const client = new Redis({ port, maxRetriesPerRequest: 0, enableOfflineQueue: true, retryStrategy: () => 100 });
    client.on('error', () => undefined);
    cleanup.push(async () => client.disconnect());
    // The node answers once it sees itself in the ring.
    await until('the serving node takes writes', async () => (await client.set('probe', 'x')) === 'OK', 20_000, 200);

    const acked = new Map<string, string>();
    const refusals: string[] = [];
    let attempt = 0;
    /** SETs one of a few keys (so later writes overwrite earlier ones) to a unique value. */
    const setOne = async (): Promise<boolean> => {
      const key = `key-${attempt % 25}`;
      const value = valueFor(`v-${attempt++}`);
      try {
        expect(await client.set(key, value)).toBe('OK');
        acked.set(key, value);
        return true;
      } catch (error) {
        refusals.push((error as Error).message);
        return false;
      }
    };

    for (let i = 0; i < WRITES_PER_PHASE; i++) expect(await setOne()).toBe(true);
    const snapshot = new Map(acked);
    await disk.fill(seededLeaveFreeBytes(SEED, MAX_FREE_PAGES_LEFT));
    let inARow = 0;
    for (let i = 0; i < WRITES_WHILE_FULL_MAX && inARow < REFUSALS_IN_A_ROW; i++) inARow = (await setOne()) ? 0 : inARow + 1;
    console.log(`serving, disk full: ${refusals.length} SETs refused, e.g. "${refusals[0]}"`);
    expect(inARow).toBe(REFUSALS_IN_A_ROW);
    expect(refusals.filter((message) => !/DISK_FULL \(out of disk space/.test(message))).toEqual([]);
    expect(node.running).toBe(true);
    // Reads need no space: every acknowledged value is served while the disk is full.
    for (const [key, value] of acked) expect(await client.get(key)).toBe(value);
    expect(snapshot.size).toBeGreaterThan(0);

    // A crash while the disk is full: the node comes back, serves every acknowledged value, and
    // still refuses what it cannot store.
    await node.kill9();
    node = await start();
    await until('the serving node, restarted on a full disk, answers GET', async () => (await client.get('probe')) === 'x', 20_000, 200);
    for (const [key, value] of acked) expect(await client.get(key)).toBe(value);
    expect(await setOne()).toBe(false);

    await disk.free();
    await until('a SET acknowledged after the disk was freed', setOne, RECOVERY_TIMEOUT_MS, 100);
    for (let i = 0; i < WRITES_PER_PHASE; i++) expect(await setOne()).toBe(true);

    await node.kill9();
    node = await start();
    await until('the restarted serving node answers GET', async () => (await client.get('probe')) === 'x', 20_000, 200);
    const lost: string[] = [];
    for (const [key, value] of acked) if ((await client.get(key)) !== value) lost.push(key);
    console.log(`serving: ${acked.size} keys (${attempt} SETs) checked after the restart`);
    expect(lost).toEqual([]);
  }, 60_000);
});

/** The protocol error type behind a failed kafkajs send (it may be wrapped in a retry error). */
function kafkaErrorType(error: unknown): string {
  for (let current: unknown = error; current !== undefined && current !== null; ) {
    const { type, cause, originalError } = current as { type?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof type === 'string') return type;
    current = originalError ?? cause;
  }
  return `${(error as Error).name}: ${(error as Error).message}`;
}

/** Every record of partition 0 from offset 0 to the high watermark. */
async function readPartition(port: number, topic: string): Promise<ConsumedRecord[]> {
  const reader = new PartitionReader({ host: '127.0.0.1', port });
  const consumed: ConsumedRecord[] = [];
  try {
    for (let offset = 0; ; ) {
      const { records, nextOffset, highWatermark } = await reader.fetch(topic, 0, offset, { maxWaitMs: 100 });
      consumed.push(...records.map((record) => ({ value: record.value?.toString() ?? '', offset: record.offset })));
      offset = nextOffset;
      if (offset >= highWatermark) return consumed;
    }
  } finally {
    await reader.close();
  }
}
