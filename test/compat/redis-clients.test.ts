/**
 * The real Redis tools against `barista serve` processes: a single node (embedded coord), then
 * three nodes around one coord with N=3, R=W=2. redis-cli, ioredis (with pipelines) and
 * redis-benchmark work unchanged.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { BARISTA_BIN } from '../support/barista.js';
import { freePort, waitForPort } from '../support/ports.js';
import { startProcess, type ManagedProcess } from '../support/processes.js';
import { describeWithTools, TOOLS } from '../support/tools.js';

function redisCli(port: number, ...args: string[]): string {
  const result = spawnSync('redis-cli', ['-p', String(port), ...args], { encoding: 'utf8', timeout: 20_000 });
  if (result.status !== 0) throw new Error(`redis-cli ${args.join(' ')} failed: ${result.stderr}`);
  return result.stdout.trim();
}

describeWithTools([TOOLS.redisCli, TOOLS.redisBenchmark], 'Redis clients against barista serve', () => {
  let workDir: string;
  const processes: ManagedProcess[] = [];
  const ports: number[] = [];

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'barista-redis-compat-'));
    const coordPort = await freePort();
    processes.push(await startProcess({ name: 'barista coord', command: process.execPath, args: [BARISTA_BIN, '--log-level', 'warn', 'coord', '--port', String(coordPort), '--data-dir', join(workDir, 'coord')], ready: () => waitForPort(coordPort, 100).then(() => true, () => false) }));
    for (const id of ['s1', 's2', 's3']) {
      const port = await freePort();
      ports.push(port);
      const node = await startProcess({
        name: `barista serve ${id}`,
        command: process.execPath,
        args: [BARISTA_BIN, '--log-level', 'info', 'serve', '--id', id, '--port', String(port), '--data-dir', join(workDir, id), '--coord', `127.0.0.1:${coordPort}`],
        ready: () => waitForPort(port, 100).then(() => true, () => false),
      });
      processes.push(node);
    }
    // Every node must see the full ring before quorums of 2 out of 3 are possible everywhere.
    const deadline = Date.now() + 20_000;
    while (redisCli(ports[0]!, 'SET', 'warm', 'up') !== 'OK' && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  }, 60_000);

  afterAll(async () => {
    for (const process of processes.reverse()) await process.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('answers redis-cli on every node, each seeing what another wrote', () => {
    expect(redisCli(ports[0]!, 'PING')).toBe('PONG');
    expect(redisCli(ports[0]!, 'SET', 'poem', 'raven')).toBe('OK');
    expect(redisCli(ports[1]!, 'GET', 'poem')).toBe('raven');
    expect(redisCli(ports[2]!, 'INCRBY', 'visits', '5')).toBe('5');
    expect(redisCli(ports[0]!, 'INCR', 'visits')).toBe('6');
    expect(redisCli(ports[1]!, 'SET', 'poem', 'other', 'NX')).toBe('');
    expect(redisCli(ports[2]!, 'EXPIRE', 'poem', '100')).toBe('1');
    expect(Number(redisCli(ports[0]!, 'TTL', 'poem'))).toBeGreaterThan(90);
    expect(redisCli(ports[1]!, 'DEL', 'poem')).toBe('1');
    expect(redisCli(ports[2]!, 'EXISTS', 'poem')).toBe('0');
    expect(redisCli(ports[0]!, 'NOSUCHCOMMAND')).toMatch(/^ERR unknown command/);
  });

  it('runs ioredis pipelines against the cluster', async () => {
    const redis = new Redis({ port: ports[1]!, maxRetriesPerRequest: 1 });
    try {
      const pipeline = redis.pipeline();
      for (let i = 0; i < 50; i++) pipeline.set(`p${i}`, `v${i}`);
      for (let i = 0; i < 50; i++) pipeline.get(`p${i}`);
      const results = (await pipeline.exec())!;
      expect(results.slice(50).map(([, value]) => value)).toEqual(Array.from({ length: 50 }, (_, i) => `v${i}`));
      expect(await redis.mget('p1', 'p2', 'missing')).toEqual(['v1', 'v2', null]);
    } finally {
      redis.disconnect();
    }
  });

  it('runs redis-benchmark set/get without errors', () => {
    const result = spawnSync('redis-benchmark', ['-p', String(ports[2]), '-t', 'set,get', '-n', '2000', '-c', '10', '-q'], { encoding: 'utf8', timeout: 60_000 });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/SET: [\d.]+ requests per second/);
    expect(result.stdout).toMatch(/GET: [\d.]+ requests per second/);
    expect(result.stdout + result.stderr).not.toMatch(/ERR|Error/);
  });
});
