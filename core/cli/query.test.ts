/** `barista query` against a serving node holding a view with a batch version and realtime deltas. */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBarista } from '../../test/support/barista.js';
import { ServingNode } from '../../serving/node/serving-node.js';
import { BatchViewWriter, RealtimeViewWriter, ViewCatalog } from '../../serving/views/index.js';

let dir: string;
let node: ServingNode;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'barista-query-'));
  node = await ServingNode.start({ nodeId: 'q1', dataDir: join(dir, 'node') });
  const keyspace = node.keyspace;
  await new ViewCatalog({ keyspace }).create('counts', 'sum', { bucketOffsets: 1 });
  const load = await new BatchViewWriter({ keyspace }).begin('counts', 1, { 'words-0': 9 });
  await load.put('raven', 7n);
  await load.put('door', 3n);
  await load.publish();
  const realtime = new RealtimeViewWriter({ keyspace });
  await realtime.apply('counts', 'raven', 2n, { partition: 'words-0', offset: 10 });
  await realtime.apply('counts', 'raven', 1n, { partition: 'words-0', offset: 11 });
  // A replay of offset 11 must not count twice.
  await realtime.apply('counts', 'raven', 1n, { partition: 'words-0', offset: 11 });
}, 30_000);

afterAll(async () => {
  await node.close();
  await rm(dir, { recursive: true, force: true });
});

it('prints the merged value of a key with the offsets it reflects', async () => {
  const { code, stdout, stderr } = await runBarista(['query', 'counts', 'raven', '--port', String(node.respPort)]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toContain('counts[raven] = 10');
  expect(stdout).toMatch(/batch version 1, cut-offs words-0@9; reflects offsets words-0@11/);
});

it('prints the top keys without a key', async () => {
  const { code, stdout } = await runBarista(['query', 'counts', '--port', String(node.respPort), '--top', '2']);
  expect(code).toBe(0);
  expect(stdout.trim().split('\n').map((line) => line.trim().split(/\s+/))).toEqual([
    ['10', 'raven'],
    ['3', 'door'],
  ]);
});
