/**
 * `barista up` as a user runs it: real child processes on loopback ports, in a temporary data
 * dir. A 3-node cluster becomes ready and serves Kafka clients (replication factor 3), Redis
 * clients (a write on one serving node read on another) and `barista list`; SIGINT stops every
 * process it printed, in order, with exit code 0. A taken port, a service that dies while
 * starting, and a kill -9 of up itself leave nothing running.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import { BARISTA_BIN, runBarista } from '../../test/support/barista.js';
import { freePort } from '../../test/support/ports.js';
import { startProcess, type ManagedProcess } from '../../test/support/processes.js';
import { until } from '../../test/support/until.js';
import { EXIT_WITH_PARENT_GRACE_MS } from './exit-with-parent.js';
import { planCluster, plannedPorts } from './up-plan.js';

const NODES = 3;
const READY_TIMEOUT_MS = 90_000;
/** Stated bound for services to notice their launcher was killed -9: the shutdown grace plus slack. */
const ORPHAN_BOUND_MS = EXIT_WITH_PARENT_GRACE_MS + 20_000;
const TOPIC = 'up-round-trip';

interface Row {
  kind: string;
  index: number;
  address: string;
  pid: number;
  log: string;
}

let workDir: string;
const launched: ManagedProcess[] = [];

afterEach(async () => {
  for (const up of launched.splice(0)) await up.kill9();
  // Services notice a killed launcher by themselves; wait for that before removing their files.
  await until('no process left in the work dir', () => processesMentioning(workDir).length === 0, ORPHAN_BOUND_MS).catch(() => undefined);
  rmSync(workDir, { recursive: true, force: true });
});

function bindable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A --base-port whose planned ports are all free. */
async function freeBasePort(): Promise<number> {
  for (;;) {
    const base = await freePort();
    const ports = plannedPorts(planCluster({ nodes: NODES, basePort: base, dataDir: '.', slots: 2, nimbuses: 1, logLevel: 'info' }));
    if ((await Promise.all(ports.map((planned) => bindable(planned.port)))).every(Boolean)) return base;
  }
}

/** Live (not zombie) processes whose command line contains `text`. */
function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      if (!readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(text)) continue;
      if (readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.startsWith('Z')) continue;
      found.push(Number(entry));
    } catch {
      // gone while we looked
    }
  }
  return found;
}

function alive(pid: number): boolean {
  try {
    return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
  } catch {
    return false;
  }
}

function tableRows(output: string): Row[] {
  return [...output.matchAll(/^(coord|broker|serve|nimbus|supervisor)\s+(\d+)\s+(\S+)\s+(\d+)\s+(\S+)$/gm)].map((match) => ({ kind: match[1]!, index: Number(match[2]), address: match[3]!, pid: Number(match[4]), log: match[5]! }));
}

async function startUp(): Promise<{ up: ManagedProcess; rows: Row[]; dataDir: string }> {
  const dataDir = join(workDir, 'up');
  const up = await startProcess({
    name: 'barista up',
    command: process.execPath,
    args: [BARISTA_BIN, 'up', '--nodes', String(NODES), '--base-port', String(await freeBasePort()), '--data-dir', dataDir],
    cwd: workDir,
    ready: () => Promise.resolve(true),
  });
  launched.push(up);
  const exitedEarly = up.waitForExit().then((code) => Promise.reject(new Error(`barista up exited with ${code} before it was ready:\n${up.output()}`)));
  await Promise.race([until('barista up ready', () => / ready in [\d.]+ s/.test(up.output()), READY_TIMEOUT_MS), exitedEarly]);
  return { up, rows: tableRows(up.output()), dataDir };
}

/** Time of each service's "shutting down" log line (pino JSON). */
function shutdownTimeMs(logFile: string): number {
  const line = readFileSync(logFile, 'utf8').split('\n').find((candidate) => candidate.includes('"msg":"shutting down'));
  if (line === undefined) throw new Error(`${logFile} has no shutdown line`);
  return (JSON.parse(line) as { time: number }).time;
}

async function kafkaRoundTrip(bootstrap: string[]): Promise<{ replicas: number[]; values: string[] }> {
  const kafka = new Kafka({ brokers: bootstrap, clientId: 'up-test', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1, replicationFactor: NODES }], waitForLeaders: true });
  const replicas = (await admin.fetchTopicMetadata({ topics: [TOPIC] })).topics[0]!.partitions[0]!.replicas;
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  await producer.send({ topic: TOPIC, acks: -1, messages: ['one', 'two', 'three'].map((value) => ({ value })) });
  await producer.disconnect();
  const consumer = kafka.consumer({ groupId: 'up-test' });
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  const values: string[] = [];
  await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value?.toString() ?? '') });
  await until('the three records consumed', () => values.length >= 3, 30_000);
  await consumer.disconnect();
  return { replicas: [...replicas].sort(), values };
}

describe('barista up', () => {
  it('starts a 3-node cluster that serves Kafka, Redis and topology clients, and stops all of it in order on SIGINT', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'barista-up-'));
    const startedAtMs = Date.now();
    const { up, rows, dataDir } = await startUp();
    process.stdout.write(`barista up --nodes 3 ready after ${Date.now() - startedAtMs} ms (${/ready in ([\d.]+) s/.exec(up.output())?.[1]} s by its own count)\n`);
    expect(rows.map((row) => row.kind).sort()).toEqual([...Array(NODES).fill('broker'), ...Array(NODES).fill('coord'), 'nimbus', ...Array(NODES).fill('serve'), ...Array(NODES).fill('supervisor')].sort());
    for (const row of rows) expect(alive(row.pid)).toBe(true);
    const endpoints = JSON.parse(readFileSync(join(dataDir, 'endpoints.json'), 'utf8')) as { coord: string; bootstrap: string; serving: string[] };
    // One peer secret for the cluster, readable by its owner only; no coord or serving peer port runs unauthenticated.
    expect(statSync(join(dataDir, 'peer-secret')).mode & 0o777).toBe(0o600);
    for (const row of rows.filter((candidate) => ['coord', 'serve'].includes(candidate.kind))) expect(readFileSync(join(workDir, row.log), 'utf8')).not.toContain('peer port is unauthenticated');

    const { replicas, values } = await kafkaRoundTrip(endpoints.bootstrap.split(','));
    expect(replicas).toEqual([1, 2, 3]);
    expect(values).toEqual(['one', 'two', 'three']);

    const portOf = (address: string) => Number(address.split(':')[1]);
    const writer = new Redis({ port: portOf(endpoints.serving[0]!), maxRetriesPerRequest: 1 });
    const reader = new Redis({ port: portOf(endpoints.serving[2]!), maxRetriesPerRequest: 1 });
    try {
      expect(await writer.set('poem', 'raven')).toBe('OK');
      expect(await reader.get('poem')).toBe('raven');
    } finally {
      writer.disconnect();
      reader.disconnect();
    }

    const list = await runBarista(['list', '--coord', endpoints.coord]);
    expect(list.stderr).toBe('');
    expect(list.code).toBe(0);

    process.kill(up.pid, 'SIGINT');
    expect(await up.waitForExit()).toBe(0);
    for (const row of rows) expect(alive(row.pid)).toBe(false);
    expect(processesMentioning(workDir)).toEqual([]);
    // Each group began shutting down only after the one before had exited: coord last.
    const groupTimes = [['supervisor', 'nimbus'], ['serve'], ['broker'], ['coord']].map((kinds) => rows.filter((row) => kinds.includes(row.kind)).map((row) => shutdownTimeMs(join(workDir, row.log))));
    for (let group = 1; group < groupTimes.length; group++) expect(Math.min(...groupTimes[group]!)).toBeGreaterThanOrEqual(Math.max(...groupTimes[group - 1]!));
  }, 180_000);

  it('refuses a port in use with one clear line, exits non-zero and starts nothing', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'barista-up-'));
    const basePort = await freeBasePort();
    const taken = planCluster({ nodes: NODES, basePort, dataDir: '.', slots: 2, nimbuses: 1, logLevel: 'info' }).services.find((service) => service.name === 'broker-2')!.ports[0]!.port;
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(taken, '127.0.0.1', resolve));
    try {
      const result = await runBarista(['up', '--nodes', String(NODES), '--base-port', String(basePort), '--data-dir', join(workDir, 'up')]);
      expect(result.code).not.toBe(0);
      expect(result.stderr.trim().split('\n')).toEqual([`barista up: port ${taken} (broker 2) is already in use on 127.0.0.1: stop what holds it, or move the cluster with --base-port`]);
      expect(existsSync(join(workDir, 'up', 'logs'))).toBe(false);
      expect(processesMentioning(workDir)).toEqual([]);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  }, 30_000);

  it('names a service that dies while starting, shows its log, stops the rest and exits non-zero', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'barista-up-'));
    const dataDir = join(workDir, 'up');
    // broker 2 cannot create its data directory: a file is in the way.
    mkdirSync(dataDir);
    writeFileSync(join(dataDir, 'broker-2'), 'not a directory');
    const result = await runBarista(['up', '--nodes', String(NODES), '--base-port', String(await freeBasePort()), '--data-dir', dataDir], READY_TIMEOUT_MS);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^barista up: broker-2 \(pid \d+\) exited with code 1 during start-up\nlast lines of .*broker-2\.log:\n/);
    expect(result.stderr).toMatch(/EEXIST/);
    expect(processesMentioning(workDir)).toEqual([]);
  }, 120_000);

  it('leaves no service running for long once barista up is killed with -9', async () => {
    workDir = mkdtempSync(join(tmpdir(), 'barista-up-'));
    const { up, rows } = await startUp();
    const killedAtMs = Date.now();
    await up.kill9();
    await until('every service gone', () => rows.every((row) => !alive(row.pid)), ORPHAN_BOUND_MS);
    process.stdout.write(`services gone ${Date.now() - killedAtMs} ms after kill -9 of barista up\n`);
    expect(processesMentioning(workDir)).toEqual([]);
  }, 180_000);
});
