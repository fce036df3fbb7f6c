import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { CoordNode } from '../../core/coord/coord-node.js';
import { BARISTA_BIN } from '../../test/support/barista.js';
import { freePort, waitForPort } from '../../test/support/ports.js';
import { startProcess, type ManagedProcess } from '../../test/support/processes.js';

describe('a serving node restarted right after kill -9', () => {
  let dir: string;
  let coord: CoordNode;
  const running: ManagedProcess[] = [];
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'serve-restart-'));
    coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: join(dir, 'coord') });
  });
  afterAll(async () => {
    for (const process of running) await process.kill9();
    await coord.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function serve(port: number): Promise<ManagedProcess> {
    const args = [BARISTA_BIN, '--log-level', 'warn', 'serve', '--id', 's1', '--port', String(port), '-n', '1', '-r', '1', '-w', '1', '--data-dir', join(dir, 's1'), '--coord', `127.0.0.1:${coord.clientPort}`];
    const started = await startProcess({ name: 'serve s1', command: process.execPath, args, ready: () => waitForPort(port, 100).then(() => true, () => false), readyTimeoutMs: 30_000 });
    running.push(started);
    return started;
  }

  it('waits out its previous life\'s coord registration instead of exiting, and keeps its data', async () => {
    const port = await freePort();
    const first = await serve(port);
    const before = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await before.connect();
    expect(await before.set('kept', 'yes')).toBe('OK');
    before.disconnect();
    await first.kill9();
    // Its coord session (6 s) is still alive: the new process must wait for it to expire.
    const second = await serve(port);
    const after = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await after.connect();
    try {
      expect(await after.get('kept')).toBe('yes');
      expect(second.running).toBe(true);
    } finally {
      after.disconnect();
    }
  }, 60_000);
});
