/**
 * Three serving nodes in one process around one coord server, driven by ioredis: any node
 * coordinates any key, quorum reads see quorum writes, SET NX has exactly one winner, INCR is
 * exact under concurrency, and a node that was down gets its hinted writes handed back.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { CoordNode } from '../../core/coord/coord-node.js';
import { ServingNode } from './serving-node.js';
import { until } from '../../test/support/until.js';

let workDir: string;
let coord: CoordNode;
const nodes = new Map<string, ServingNode>();
const clients: Redis[] = [];

async function startNode(id: string): Promise<ServingNode> {
  const node = await ServingNode.start({ nodeId: id, dataDir: join(workDir, id), coord: `127.0.0.1:${coord.clientPort}`, requestTimeoutMs: 1_000 });
  nodes.set(id, node);
  return node;
}

function client(id: string): Redis {
  const redis = new Redis({ port: nodes.get(id)!.respPort, lazyConnect: false, maxRetriesPerRequest: 0 });
  clients.push(redis);
  return redis;
}


beforeEach(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'barista-serving-'));
  coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(workDir, 'coord'), clientPort: 0 });
  for (const id of ['a', 'b', 'c']) await startNode(id);
  await until('every node sees three live nodes', () => [...nodes.values()].every((node) => node.membership.snapshot.live.size === 3 && node.membership.snapshot.ring.size === 3));
});

afterEach(async () => {
  for (const redis of clients.splice(0)) redis.disconnect();
  for (const node of nodes.values()) await node.close().catch(() => undefined);
  nodes.clear();
  await coord.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('serving cluster', () => {
  it('reads through any node what was written through another', async () => {
    await client('a').set('greeting', 'hello');
    expect(await client('b').get('greeting')).toBe('hello');
    expect(await client('c').get('greeting')).toBe('hello');
    await client('c').del('greeting');
    expect(await client('a').get('greeting')).toBeNull();
  });

  it('lets exactly one of many concurrent SET NX win', async () => {
    const attempts = await Promise.all(Array.from({ length: 12 }, (_, i) => client(['a', 'b', 'c'][i % 3]!).set('lock', `owner-${i}`, 'NX')));
    expect(attempts.filter((reply) => reply === 'OK')).toHaveLength(1);
    const winner = attempts.findIndex((reply) => reply === 'OK');
    expect(await client('b').get('lock')).toBe(`owner-${winner}`);
  });

  it('counts exactly with INCR from every node at once', async () => {
    await Promise.all(Array.from({ length: 12 }, (_, i) => client(['a', 'b', 'c'][i % 3]!).incr('counter')));
    expect(await client('a').get('counter')).toBe('12');
  });

  it('keeps writing while a replica is down and hands its writes back when it returns', async () => {
    // A fourth node, so that every key has a fallback beyond its three replicas.
    await startNode('d');
    await until('every node sees d', () => [...nodes.values()].every((node) => node.membership.snapshot.ring.size === 4 && node.membership.snapshot.live.size === 4));
    await nodes.get('c')!.close();
    nodes.delete('c');
    await until('c seen down', () => !nodes.get('a')!.membership.snapshot.live.has('c'));
    for (let i = 0; i < 20; i++) await client('a').set(`k${i}`, `v${i}`);
    const held = [...nodes.values()].reduce((sum, node) => sum + node.hints.pending, 0);
    expect(held).toBeGreaterThan(0);
    await startNode('c');
    await until('hints handed off', () => [...nodes.values()].every((node) => node.hints.pending === 0), 20_000);
    // c alone (R=1) now holds every key it is a replica of.
    const c = nodes.get('c')!;
    for (let i = 0; i < 20; i++) {
      const key = Buffer.from(`k${i}`);
      if (!c.membership.snapshot.ring.preferenceList(key, 3).includes('c')) continue;
      expect((await c.keyspace.get(key, { r: 1 }))?.value.toString()).toBe(`v${i}`);
    }
  });
});
