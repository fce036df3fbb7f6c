import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordClient } from './client/coord-client.js';
import { CoordNode, parsePeers } from './coord-node.js';
import { CreateMode, EventType } from './zookeeper-constants.js';

describe('coordination node (Raft replica + ZooKeeper server in one process)', () => {
  let dir: string;
  let node: CoordNode;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'coord-node-'));
    node = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: dir, metricsPort: 0 });
  });
  afterAll(async () => {
    await node.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves Prometheus metrics that follow the tree', async () => {
    const client = await CoordClient.connect(`127.0.0.1:${node.clientPort}`);
    await client.create('/metered');
    const body = await (await fetch(`http://127.0.0.1:${node.metrics!.port}/metrics`)).text();
    await client.close();
    expect(body).toMatch(/barista_coord_znodes\{service="coord",server="1"\} ([6-9]|\d\d+)/);
    expect(body).toMatch(/barista_coord_is_leader\{service="coord",server="1"\} 1/);
  });

  it('deletes an emptied container and an expired TTL node on its own (leader housekeeping)', async () => {
    const client = await CoordClient.connect(`127.0.0.1:${node.clientPort}`);
    await client.create('/box', '', { mode: CreateMode.CONTAINER });
    await client.create('/box/item');
    await client.create('/lease-ttl', '', { mode: CreateMode.PERSISTENT_WITH_TTL, ttlMs: 100 });
    const containerGone = new Promise((resolve) => void client.exists('/box', resolve));
    const ttlGone = new Promise((resolve) => void client.exists('/lease-ttl', resolve));
    await client.delete('/box/item');
    expect(await containerGone).toMatchObject({ type: EventType.NodeDeleted, path: '/box' });
    expect(await ttlGone).toMatchObject({ type: EventType.NodeDeleted, path: '/lease-ttl' });
    await client.close();
  });

  it('parses --peers and rejects malformed ones with the reason', () => {
    expect([...parsePeers('1=a:1,2=b:2')]).toEqual([
      [1, { host: 'a', port: 1 }],
      [2, { host: 'b', port: 2 }],
    ]);
    expect(() => parsePeers('1=a:1,1=b:2')).toThrow(/server id 1 appears twice/);
    expect(() => parsePeers('x=a:1')).toThrow(/"x=a:1" is not id=host:port/);
    expect(() => parsePeers('300=a:1')).toThrow(/outside 1..255/);
  });
});
