import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SENTENCES, randomFor } from '../../../spouts/generator-spout.js';
import { tokenize } from '../../text/tokenize.js';
import { CoordClient } from '../../coord/client/coord-client.js';
import { BARISTA_BIN, runBarista } from '../../../test/support/barista.js';
import { startCoordEnsemble, type CoordEnsemble } from '../../../test/support/coord.js';
import { freePort } from '../../../test/support/ports.js';
import { startProcess, type ManagedProcess } from '../../../test/support/processes.js';
import { until } from '../../../test/support/until.js';
import { SEED } from '../distributed/test-topologies/word-count.js';
import { dataOf, readAssignment, runningWorkerIds } from './cluster-store.js';
import { decodeRecord, workerPath, WORKER_FIELDS, type WorkerRecord } from './layout.js';
import { BUILD_ERROR } from './test-topologies/throws-on-build.js';

const DIST = new URL('../../../dist/core/topology/cluster/test-topologies/', import.meta.url).pathname;
const WORD_COUNT = join(DIST, 'word-count.js');
const SUPERVISOR_SESSION_TIMEOUT_MS = 4_000;
const NIMBUS_SESSION_TIMEOUT_MS = 4_000;

function expectedCounts(total: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let sequence = 0; sequence < total; sequence++) {
    const sentence = DEFAULT_SENTENCES[Math.floor(randomFor(SEED, sequence)() * DEFAULT_SENTENCES.length)] as string;
    for (const word of tokenize(sentence)) counts.set(word, (counts.get(word) ?? 0) + 1);
  }
  return counts;
}

/** Every "word<TAB>count" line the sinks wrote for a topology (output prefix `prefix`). */
function sinkLines(prefix: string): Array<[string, number]> {
  const directory = join(prefix, '..');
  const base = prefix.slice(directory.length + 1);
  const lines: Array<[string, number]> = [];
  for (const file of readdirSync(directory).filter((name) => name.startsWith(`${base}-`) && name.endsWith('.tsv'))) {
    for (const line of readFileSync(join(directory, file), 'utf8').split('\n')) {
      const [word, count] = line.split('\t');
      if (word && count) lines.push([word, Number(count)]);
    }
  }
  return lines;
}

/** The highest count each word reached (counts only grow while no counter restarts). */
function highestCounts(prefix: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [word, count] of sinkLines(prefix)) counts.set(word, Math.max(counts.get(word) ?? 0, count));
  return counts;
}

/** How many times the sinks saw each word, over every run of every counter. */
function timesSeen(prefix: string): Map<string, number> {
  const seen = new Map<string, number>();
  for (const [word] of sinkLines(prefix)) seen.set(word, (seen.get(word) ?? 0) + 1);
  return seen;
}

let ensemble: CoordEnsemble;
let client: CoordClient;
let directory: string;
const services = new Map<string, ManagedProcess>();

async function startService(name: string, args: string[]): Promise<ManagedProcess> {
  const started = await startProcess({ name, command: process.execPath, args: [BARISTA_BIN, '--log-level', 'warn', ...args], ready: () => Promise.resolve(true) });
  await until(`${name} ready`, () => started.output().includes(' ready'), 20_000);
  services.set(name, started);
  return started;
}

async function startSupervisor(id: string): Promise<void> {
  const ports = [await freePort(), await freePort(), await freePort()];
  await startService(id, ['supervisor', '--coord', ensemble.connectString, '--id', id, '--slot-ports', ports.join(','), '--data-dir', join(directory, id), '--coord-session-timeout', String(SUPERVISOR_SESSION_TIMEOUT_MS)]);
}

const barista = (...args: string[]) => runBarista([...args, '--coord', ensemble.connectString]);

async function submitWordCount(name: string, total: number, workers = 2): Promise<string> {
  const out = join(directory, name);
  const result = await barista('submit', WORD_COUNT, '--name', name, '--workers', String(workers), '--arg', `total=${total}`, '--arg', `out=${out}`, '--arg', 'timeoutSecs=3');
  expect(result.stderr).toBe('');
  expect(result.stdout).toMatch(new RegExp(`topology ${name} submitted: active, ${workers} workers`));
  await until(`${workers} workers of ${name} running`, async () => (await runningWorkerIds(client, name)).length === workers, 20_000);
  return out;
}

async function workerRecord(name: string, workerId: string): Promise<WorkerRecord | null> {
  const node = await dataOf(client, workerPath(name, workerId));
  return node === null ? null : decodeRecord<WorkerRecord>(workerPath(name, workerId), node.data, WORKER_FIELDS);
}

async function kill(name: string): Promise<void> {
  const result = await barista('kill', name);
  expect(result.stdout).toMatch(`topology ${name} killed`);
}

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'barista-cluster-'));
  ensemble = await startCoordEnsemble({ servers: 1, tickTimeMs: 1_000 });
  client = await CoordClient.connect(ensemble.connectString);
  await startService('nimbus', ['nimbus', '--coord', ensemble.connectString, '--data-dir', join(directory, 'nimbus'), '--coord-session-timeout', String(NIMBUS_SESSION_TIMEOUT_MS)]);
  await startSupervisor('s1');
  await startSupervisor('s2');
}, 60_000);

afterAll(async () => {
  await client?.close();
  for (const service of services.values()) await service.stop();
  await ensemble?.stop();
  rmSync(directory, { recursive: true, force: true });
}, 60_000);

describe('a topology cluster: nimbus, two supervisors, worker processes', () => {
  it('runs a submitted word count over both supervisors with exact counts, lists it and kills it', async () => {
    const out = await submitWordCount('exact', 1_500);
    const assignment = await readAssignment(client, 'exact');
    expect(new Set(Object.values(assignment!.placements).map((placement) => placement.supervisor))).toEqual(new Set(['s1', 's2']));
    const expected = expectedCounts(1_500);
    await until('exact counts of every word', () => [...expected].every(([word, count]) => highestCounts(out).get(word) === count), 30_000);
    expect(highestCounts(out)).toEqual(expected);

    const list = await barista('list');
    expect(list.stdout).toMatch(/^NAME\s+STATUS\s+WORKERS\s+UPTIME/m);
    expect(list.stdout).toMatch(/^exact\s+active\s+2\/2\s+\d+s/m);

    const pids = await Promise.all(['w1', 'w2'].map(async (workerId) => (await workerRecord('exact', workerId))!.pid));
    await kill('exact');
    expect((await barista('list')).stdout).not.toMatch(/^exact/m);
    await until('the workers of a killed topology to exit', () => pids.every((pid) => !alive(pid)));
  }, 90_000);

  it('rejects a module that throws while building, with its error, and keeps other topologies running', async () => {
    const out = await submitWordCount('steady', 300);
    const before = await readAssignment(client, 'steady');
    const pids = await Promise.all(['w1', 'w2'].map(async (workerId) => (await workerRecord('steady', workerId))!.pid));

    const rejected = await barista('submit', join(DIST, 'throws-on-build.js'), '--name', 'broken', '--workers', '1');
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toContain(`nimbus rejected topology 'broken': ${BUILD_ERROR}`);
    expect((await barista('list')).stdout).not.toMatch(/^broken/m);

    const expected = expectedCounts(300);
    await until('exact counts of the steady topology', () => [...expected].every(([word, count]) => highestCounts(out).get(word) === count), 30_000);
    expect((await readAssignment(client, 'steady'))?.version).toBe(before?.version);
    expect(pids.every(alive)).toBe(true);
    await kill('steady');
  }, 90_000);

  it('restarts a worker killed with -9; every sentence is still counted at least once', async () => {
    const total = 3_000;
    const out = await submitWordCount('restarted', total);
    const victim = (await workerRecord('restarted', 'w1'))!;
    await until('counting under way', () => sinkLines(out).length > 100, 20_000);
    process.kill(victim.pid, 'SIGKILL');
    await until('w1 restarted by its supervisor', async () => {
      const record = await workerRecord('restarted', 'w1');
      return record !== null && record.pid !== victim.pid;
    }, 20_000);
    // The restarted worker's counters start again from zero and its spout task re-emits its
    // sentences from the start, so the highest counts are no longer the true ones. What holds is
    // at-least-once: a sentence's tree completes only once the sink wrote a line for each of its
    // words, and every sentence completes in the end (lost trees time out after 3 s and replay),
    // so each word is seen by the sinks at least as many times as it occurs.
    const expected = expectedCounts(total);
    await until('every word seen at least its expected number of times', () => [...expected].every(([word, count]) => (timesSeen(out).get(word) ?? 0) >= count), 60_000);
    const seen = timesSeen(out);
    for (const [word, count] of expected) expect(seen.get(word)).toBeGreaterThanOrEqual(count);
    await kill('restarted');
  }, 120_000);

  it('pauses and resumes spouts, and a standby nimbus takes over from a killed leader without restarting workers', async () => {
    await startService('nimbus-2', ['nimbus', '--coord', ensemble.connectString, '--data-dir', join(directory, 'nimbus-2'), '--coord-session-timeout', String(NIMBUS_SESSION_TIMEOUT_MS)]);
    const out = await submitWordCount('admin', 1_000_000);
    await until('counting under way', () => sinkLines(out).length > 100, 20_000);
    expect((await barista('deactivate', 'admin')).stdout).toMatch('topology admin deactivated');
    // Trees in flight when the spouts paused still complete: wait for the sinks to go quiet.
    let quietSince = sinkLines(out).length;
    await until('the sinks to go quiet', async () => {
      const before = quietSince;
      await new Promise((resolve) => setTimeout(resolve, 500));
      quietSince = sinkLines(out).length;
      return quietSince === before;
    }, 20_000, 0);
    expect((await barista('list')).stdout).toMatch(/^admin\s+inactive\s+2\/2/m);
    expect((await barista('activate', 'admin')).stdout).toMatch('topology admin activated');
    await until('counting resumed', () => sinkLines(out).length > quietSince + 100, 20_000);

    const version = (await readAssignment(client, 'admin'))!.version;
    await services.get('nimbus')!.kill9();
    services.delete('nimbus');
    // The standby leads once the old leader's session expires; the rebalance waits for it.
    const rebalanced = await barista('rebalance', 'admin', '--workers', '3');
    // Exactly one version later: taking over wrote no assignment of its own, so no worker restarted before the rebalance.
    expect(rebalanced.stdout).toMatch(`topology admin rebalanced over 3 workers (assignment v${version + 1})`);
    await until('3 workers of admin running', async () => (await runningWorkerIds(client, 'admin')).length === 3, 20_000);
    await kill('admin');
  }, 120_000);

  it('moves the workers of a supervisor killed with -9 to the other supervisor within 10 s', async () => {
    const total = 600;
    const out = await submitWordCount('moved', total);
    const before = (await readAssignment(client, 'moved'))!;
    const orphan = Object.entries(before.placements).find(([, placement]) => placement.supervisor === 's2')!;
    const orphanPid = (await workerRecord('moved', orphan[0]))!.pid;
    const killedAt = Date.now();
    await services.get('s2')!.kill9();
    await until('every worker of the topology running on s1', async () => {
      const assignment = await readAssignment(client, 'moved');
      if (assignment === null || assignment.version === before.version) return false;
      if (!Object.values(assignment.placements).every((placement) => placement.supervisor === 's1')) return false;
      const records = await Promise.all(['w1', 'w2'].map((workerId) => workerRecord('moved', workerId)));
      return records.every((record) => record?.supervisor === 's1' && record.version === assignment.version);
    }, 20_000, 100);
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    // The dead supervisor's worker saw its IPC channel close and stopped: no orphan keeps running.
    await until('the orphaned worker to exit', () => !alive(orphanPid));
    const expected = expectedCounts(total);
    await until('every word seen at least its expected number of times', () => [...expected].every(([word, count]) => (timesSeen(out).get(word) ?? 0) >= count), 60_000);
    await kill('moved');
  }, 120_000);
});
