/**
 * A follower whose disk loses entries it had acknowledged (its log cut back past what was
 * fsynced — outside Raft's model, but a lying disk cache does it) is repaired by the leader, which
 * says so loudly in its log. Before, the leader took the follower's rejections for stale ones and
 * left it behind for good. See docs/coord.md.
 */
import { afterEach, describe, expect, it } from '@jest/globals';
import { readdir, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { CoordClients, startCoordEnsemble, type CoordEnsemble } from '../support/coord.js';
import { until } from '../support/until.js';
import { fourLetterWord } from '../support/zookeeper.js';

/** Enough writes that cutting half the follower's log loses many it acknowledged. */
const WRITES_BEFORE = 40;
const WRITES_AFTER = 5;

let ensemble: CoordEnsemble | undefined;
const clients = new CoordClients();
const connect = (connectString: string) => clients.connect(connectString);

afterEach(async () => {
  await clients.closeAll();
  await ensemble?.stop();
  ensemble = undefined;
});

/** The children of `path` as seen by one server, once it caught up with the leader's commit. */
async function childrenOn(port: number, path: string): Promise<Set<string>> {
  const client = await connect(`127.0.0.1:${port}`);
  try {
    await client.sync(path);
    return new Set(await client.getChildren(path));
  } finally {
    await client.close();
  }
}

/** Cuts the newest raft segment of a stopped server to half its size. */
async function loseHalfOfTheLog(dataDir: string): Promise<void> {
  const raftDir = join(dataDir, 'raft');
  const segments = (await readdir(raftDir)).filter((name) => name.endsWith('.log')).sort();
  const newest = join(raftDir, segments.at(-1)!);
  const sizeBytes = (await stat(newest)).size;
  await truncate(newest, Math.floor(sizeBytes / 2));
}

describe('a coord follower whose disk lost acknowledged log entries', () => {
  it('is repaired by the leader, which logs the loss, and ends up with every acknowledged write', async () => {
    ensemble = await startCoordEnsemble({ servers: 3 });
    const leader = (await ensemble.leaderIndex())!;
    const follower = [0, 1, 2].find((index) => index !== leader)!;
    const port = ensemble.ports[follower]!;
    const dataDir = /dataDir=(.*)/.exec(await fourLetterWord(port, 'conf'))![1]!;
    const writer = await connect(`127.0.0.1:${ensemble.ports[leader]}`);
    await writer.create('/tail');
    const acknowledged: string[] = [];
    for (let n = 0; n < WRITES_BEFORE; n++) acknowledged.push(await writer.create(`/tail/${n}`));
    // The follower has applied (so logged and fsynced) every one of them.
    expect((await childrenOn(port, '/tail')).size).toBe(WRITES_BEFORE);

    await ensemble.kill(follower);
    await loseHalfOfTheLog(dataDir);
    await ensemble.restart(follower);
    for (let n = WRITES_BEFORE; n < WRITES_BEFORE + WRITES_AFTER; n++) acknowledged.push(await writer.create(`/tail/${n}`));

    const names = acknowledged.map((path) => path.slice('/tail/'.length));
    await until('the follower to hold every acknowledged write again', async () => {
      const present = await childrenOn(port, '/tail');
      return names.every((name) => present.has(name));
    }, 30_000, 200);
    expect(ensemble.processes[leader]!.output()).toMatch(/lost log entries it had acknowledged/);
  }, 60_000);
});
