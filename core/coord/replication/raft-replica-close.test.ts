/** close() of a Raft replica ends what it runs, including writes waiting for an election. */
import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../../test/support/ports.js';
import { trackResources } from '../resource-tracker.js';
import { RaftReplica } from './raft-replica.js';
import { ReplicationUnavailableError } from './replica.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

describe('RaftReplica.close()', () => {
  it('fails a write waiting for an election at once and leaves no timer behind', async () => {
    const resources = trackResources();
    cleanups.push(async () => resources.stop());
    const dataDir = await mkdtemp(join(tmpdir(), 'raft-replica-close-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
    // Its two peers never start: no leader, so a write waits for one.
    const ports = await Promise.all([freePort(), freePort(), freePort()]);
    const members = new Map(ports.map((port, i) => [i + 1, { host: '127.0.0.1', port }]));
    const replica = await RaftReplica.start({ serverId: 1, members, dataDir });
    const write = replica.write({ type: 'createSession', sessionId: 1n, timeoutMs: 10_000 }, 1n, []);
    const outcome = write.then(() => 'applied', (error: unknown) => error);
    await replica.close();
    // Before the write settles: a timer still waiting for an election would show here.
    expect(await resources.left()).toEqual([]);
    expect(await outcome).toBeInstanceOf(ReplicationUnavailableError);
  });
});
