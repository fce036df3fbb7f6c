/**
 * Schedulers sharing a real coord server (in this process, over the ZooKeeper protocol): only the
 * elected one runs the job; when its coord client closes, the standby takes over; runs are
 * recorded as sequential znodes under /barista/batch/<job>/runs, bounded to the newest.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoordClient } from '../../core/coord/client/coord-client.js';
import { CoordNode } from '../../core/coord/coord-node.js';
import { until } from '../../test/support/until.js';
import { BatchScheduler } from './batch-scheduler.js';
import { CoordRunStore } from './coord-run-store.js';
import type { RunRecord } from './run-record.js';

const COUNTING_JOB = new URL('./test-jobs/counting-job.ts', import.meta.url).pathname;
const EVERY_SECOND = '* * * * * *';

let directory: string;
let coord: CoordNode;
let connectString: string;
const clients: CoordClient[] = [];
const schedulers: BatchScheduler[] = [];

async function connect(): Promise<CoordClient> {
  const client = await CoordClient.connect(connectString, { sessionTimeoutMs: 4_000 });
  clients.push(client);
  return client;
}

async function scheduler(jobName: string, client: CoordClient, marker: string): Promise<BatchScheduler> {
  const created = new BatchScheduler({ modulePath: COUNTING_JOB, jobName, cron: EVERY_SECOND, coord: client, args: { marker }, context: { slots: 2 } });
  schedulers.push(created);
  await created.start();
  return created;
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'barista-cron-coord-'));
  coord = await CoordNode.start({ serverId: 1, members: new Map(), dataDir: directory });
  connectString = `127.0.0.1:${coord.clientPort}`;
});
afterEach(async () => {
  await Promise.all(schedulers.splice(0).map((each) => each.stop()));
  await Promise.all(clients.splice(0).map((client) => client.close().catch(() => undefined)));
});
afterAll(async () => {
  await coord.stop();
  rmSync(directory, { recursive: true, force: true });
});

describe('batch scheduler with coord', () => {
  it('runs the job on one scheduler only; when its client closes, the standby takes over', async () => {
    const first = await scheduler('elected', await connect(), 'first');
    const second = await scheduler('elected', await connect(), 'second');
    await until('the leader ran twice', () => first.stats.runs + second.stats.runs >= 2, 10_000);
    const [leader, standby] = first.isLeader ? [first, second] : [second, first];
    expect(leader.isLeader).toBe(true);
    expect(standby.isLeader).toBe(false);
    expect(standby.stats.runs).toBe(0);

    await clients[schedulers.indexOf(leader)]!.close();
    expect(await leader.ended).toBe('session-ended');
    // A run that began just before the close may finish without its record (the client is gone).
    const leaderRuns = leader.stats.runs;
    await until('the standby ran twice', () => standby.stats.runs >= 2, 10_000);
    expect(standby.isLeader).toBe(true);
    expect(leader.stats.runs).toBe(leaderRuns);

    const records = await new CoordRunStore(await connect(), 'elected').list();
    const markers = records.map((record) => (record.cutOffs as { marker: string }).marker);
    const leaderMarker = leader === first ? 'first' : 'second';
    const standbyMarker = leader === first ? 'second' : 'first';
    const leaderRecords = markers.filter((marker) => marker === leaderMarker).length;
    expect(leaderRecords).toBeGreaterThanOrEqual(Math.min(2, leaderRuns));
    expect(leaderRecords).toBeLessThanOrEqual(leaderRuns);
    expect(markers.filter((marker) => marker === standbyMarker).length).toBeGreaterThanOrEqual(2);
    // Every standby run came after every leader run: never two at once.
    const lastLeaderFinish = Math.max(...records.filter((record) => (record.cutOffs as { marker: string }).marker === leaderMarker).map((record) => Date.parse(record.finishedAt)));
    for (const record of records.filter((each) => (each.cutOffs as { marker: string }).marker === standbyMarker)) expect(Date.parse(record.startedAt)).toBeGreaterThanOrEqual(lastLeaderFinish);
  });

  it('keeps only the newest run records, as sequential znodes', async () => {
    const client = await connect();
    const store = new CoordRunStore(client, 'bounded', 3);
    const record = (index: number): RunRecord => ({ runId: `run-${index}`, job: 'bounded', startedAt: new Date(index).toISOString(), finishedAt: new Date(index + 1).toISOString(), durationMs: 1, status: 'succeeded', jobs: 1 });
    for (let index = 0; index < 5; index += 1) await store.append(record(index));
    expect((await store.list()).map((each) => each.runId)).toEqual(['run-2', 'run-3', 'run-4']);
    expect((await client.getChildren('/barista/batch/bounded/runs')).sort()).toEqual(['run-0000000002', 'run-0000000003', 'run-0000000004']);
  });
});
