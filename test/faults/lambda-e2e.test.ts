/**
 * Issue 11, "Faults": the word-count Lambda view end to end across real processes — `barista
 * coord`, `barista broker`, `barista serve` (N=R=W=1), the speed layer as its own process
 * (examples/wordcount/lambda-speed.ts) and batch runs as `barista batch --now`
 * (examples/wordcount/lambda-batch.ts) — while The Raven is produced again and again into a
 * 2-partition topic. Mid-stream the speed process is killed with -9 (holding writes above its last
 * commit, which the restart replays) and restarted from the same offsets file; a batch run is
 * killed with -9 after it has loaded part of its version and before it publishes, then a batch is
 * run again to completion.
 *
 * What must hold:
 * - at every check along the way, the merged answer of a handful of words equals a recount of the
 *   log (read back from the broker) up to the offsets the answer reports;
 * - the killed batch leaves nothing visible: the live version stays what it was, and answers are
 *   still exact; the next run publishes the same version number over the partial keys;
 * - once the speed layer has committed every offset, every word's answer is the oracle count ×
 *   copies produced, and its offsets are what the log says (per partition, the later of the batch
 *   cut-off and the word's last occurrence).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot, ravenPath } from '../../core/cli/package-root.js';
import { PartitionReader } from '../../core/log/client/partition-reader.js';
import { SPEED_READY_LINE } from '../../examples/wordcount/lambda-speed.js';
import { committedOffsets } from '../../examples/wordcount/test-support.js';
import { BARISTA_BIN } from '../support/barista.js';
import { startLambdaStack, type LambdaStack } from '../support/lambda-stack.js';
import { PoemProducer } from '../support/poem-producer.js';
import { startProcess, type ManagedProcess } from '../support/processes.js';
import { until } from '../support/until.js';
import { oracleWordCount } from '../support/word-count-oracle.js';

const SPEED_JS = join(packageRoot(), 'dist', 'examples', 'wordcount', 'lambda-speed.js');
const BATCH_JS = join(packageRoot(), 'dist', 'examples', 'wordcount', 'lambda-batch.js');
const TOPIC = 'raven';
const PARTITIONS = 2;
const VIEW = 'words';
/** Words checked against a recount at each moment along the way: frequent, rare, and in between. */
const CHECKED_WORDS = ['the', 'and', 'nevermore', 'raven', 'lenore', 'door', 'ominous'];
/** The poem is produced one copy per COPY_INTERVAL_MS, at least MIN_COPIES times (~15 s), and on until the faults are over. */
const MIN_COPIES = 30;
const MAX_COPIES = 300;
const COPY_INTERVAL_MS = 500;

let stack: LambdaStack;
let lines: string[];
let poem: PoemProducer | undefined;
const workers: ManagedProcess[] = [];

/** The topic as the broker holds it, read on demand: each partition's lines by offset. */
class LogCopy {
  readonly partitions: string[][] = Array.from({ length: PARTITIONS }, () => []);
  private readonly reader: PartitionReader;

  constructor(bootstrap: { host: string; port: number }) {
    this.reader = new PartitionReader(bootstrap, 'lambda-e2e-recount');
  }

  /** Reads `partition` until it holds `lastOffset` (or to the high watermark with no argument). */
  async readThrough(partition: number, lastOffset = Number.POSITIVE_INFINITY): Promise<string[]> {
    const held = this.partitions[partition]!;
    while (held.length <= lastOffset) {
      const fetched = await this.reader.fetch(TOPIC, partition, held.length, { maxWaitMs: 0 });
      for (const record of fetched.records) if (record.offset === held.length) held.push(record.value?.toString('utf8') ?? '');
      if (held.length >= fetched.highWatermark) {
        if (lastOffset === Number.POSITIVE_INFINITY) break;
        if (held.length <= lastOffset) throw new Error(`${TOPIC}-${partition} ends at ${fetched.highWatermark}, before offset ${lastOffset} an answer reports`);
      }
    }
    return held;
  }

  close(): Promise<void> {
    return this.reader.close();
  }
}

interface Answer {
  value: number;
  batchVersion: number | null;
  /** Partition name → highest offset the value reflects. */
  offsets: Record<string, number>;
  cutOffs: Record<string, number>;
}

const pairs = (flat: unknown): Record<string, number> => {
  const list = flat as Array<string | number>;
  const result: Record<string, number> = {};
  for (let index = 0; index < list.length; index += 2) result[String(list[index])] = Number(list[index + 1]);
  return result;
};

async function viewGet(word: string): Promise<Answer> {
  const [value, version, offsets, cutOffs] = (await stack.redis.call('VIEW.GET', VIEW, word)) as [number | string, number | null, unknown, unknown];
  return { value: Number(value), batchVersion: version, offsets: pairs(offsets), cutOffs: pairs(cutOffs) };
}

/** The live batch version (VIEW.INFO), 0 before the first publish. */
async function liveVersion(): Promise<number> {
  const info = (await stack.redis.call('VIEW.INFO', VIEW)) as unknown[];
  const version = info[info.indexOf('version') + 1];
  return version === null || version === undefined ? 0 : Number(version);
}

/** Keys of batch version `version` in the serving node, published or not. */
async function batchKeysOf(version: number): Promise<number> {
  let cursor = '0';
  let keys = 0;
  do {
    const [next, page] = await stack.redis.scan(cursor, 'MATCH', `barista:view:${VIEW}:b:${version}:*`, 'COUNT', 1000);
    cursor = next;
    keys += page.length;
  } while (cursor !== '0');
  return keys;
}

const partitionOf = (name: string) => Number(name.slice(TOPIC.length + 1));
/** The oracle's count of each line (the stream repeats the poem's lines, so this stays small). */
const lineCounts = new Map<string, Map<string, number>>();
function occurrences(line: string, word: string): number {
  let counts = lineCounts.get(line);
  if (counts === undefined) lineCounts.set(line, (counts = oracleWordCount(line)));
  return counts.get(word) ?? 0;
}

/** The cut-over promise for CHECKED_WORDS now: each answer equals a recount up to its offsets. */
async function checkAgainstRecount(log: LogCopy, moment: string): Promise<string> {
  const seen: string[] = [];
  for (const word of CHECKED_WORDS) {
    const answer = await viewGet(word);
    let recount = 0;
    for (const [name, last] of Object.entries(answer.offsets)) {
      const held = await log.readThrough(partitionOf(name), last);
      for (const line of held.slice(0, last + 1)) recount += occurrences(line, word);
    }
    expect({ moment, word, value: answer.value }).toEqual({ moment, word, value: recount });
    seen.push(`${word}=${answer.value}`);
  }
  const version = (await viewGet(CHECKED_WORDS[0]!)).batchVersion;
  return `${moment} (batch v${version ?? '-'}): ${seen.join(' ')}`;
}

async function highWatermarks(log: LogCopy): Promise<number[]> {
  return Promise.all(Array.from({ length: PARTITIONS }, async (_, partition) => (await log.readThrough(partition)).length));
}

async function startSpeed(offsetsPath: string): Promise<ManagedProcess> {
  const args = [SPEED_JS, '--bootstrap', stack.brokerAddress, '--serving', stack.servingAddress, '--topic', TOPIC, '--view', VIEW, '--offsets', offsetsPath, '--log-level', 'warn'];
  const speed = await startProcess({ name: 'lambda-speed', command: process.execPath, args, ready: async () => true });
  workers.push(speed);
  await until('the speed process to be running', () => {
    if (!speed.running) throw new Error(`lambda-speed exited; its output:\n${speed.output()}`);
    return speed.output().includes(SPEED_READY_LINE);
  }, 30_000);
  return speed;
}

async function startBatch(): Promise<ManagedProcess> {
  const jobArgs = { bootstrap: stack.brokerAddress, serving: stack.servingAddress, topic: TOPIC, view: VIEW };
  const args = [BARISTA_BIN, '--log-level', 'info', 'batch', BATCH_JS, '--now', '--state-dir', join(stack.directory, 'batch-runs'), ...Object.entries(jobArgs).flatMap(([key, value]) => ['--arg', `${key}=${value}`])];
  const batch = await startProcess({ name: 'barista batch', command: process.execPath, args, ready: async () => true });
  workers.push(batch);
  return batch;
}

/** Runs a batch to completion; its printed result. */
async function runBatch(): Promise<{ version: number; previousVersion: number | null; cutOffs: Record<string, number> }> {
  const batch = await startBatch();
  const code = await batch.waitForExit();
  if (code !== 0) throw new Error(`barista batch exited with ${code}; its output:\n${batch.output()}`);
  const resultLine = batch.output().split('\n').find((line) => line.startsWith('{"view"'));
  if (resultLine === undefined) throw new Error(`no result line in the batch output:\n${batch.output()}`);
  return JSON.parse(resultLine) as { version: number; previousVersion: number | null; cutOffs: Record<string, number> };
}

/**
 * Stops `process` (SIGSTOP) and kills it with -9 while stopped once `ready` holds for what it has
 * done so far, so that what the check saw is exactly what the kill leaves; else lets it go on.
 */
async function killWhen(target: ManagedProcess, ready: () => Promise<boolean>, what: string, timeoutMs: number): Promise<void> {
  await until(what, async () => {
    if (!target.running) throw new Error(`${target.name} exited before ${what}; its output:\n${target.output()}`);
    process.kill(target.pid, 'SIGSTOP');
    let hold = false;
    try {
      hold = await ready();
    } finally {
      if (hold) await target.kill9();
      else process.kill(target.pid, 'SIGCONT');
    }
    return hold;
  }, timeoutMs, 10);
}

beforeAll(async () => {
  for (const module of [SPEED_JS, BATCH_JS]) if (!existsSync(module)) throw new Error(`${module} is missing: run "npm run build" first`);
  lines = readFileSync(ravenPath(), 'utf8').split('\n');
  stack = await startLambdaStack({ name: 'lambda-e2e', topic: TOPIC, partitions: PARTITIONS });
}, 120_000);

afterAll(async () => {
  await poem?.finish();
  for (const worker of workers) await worker.kill9();
  await stack?.stop();
}, 60_000);

describe('word-count Lambda view across processes under kill -9 of the speed layer and of a batch run', () => {
  it('answers equal a recount up to their offsets throughout, the killed batch shows nothing, and the end answer is the oracle × copies', async () => {
    const startedAt = Date.now();
    const log = new LogCopy({ host: '127.0.0.1', port: stack.brokerPort });
    const offsetsPath = join(stack.directory, 'speed-offsets.json');
    const checks: string[] = [];
    const producer = stack.kafka.producer();
    await producer.connect();
    try {
      poem = new PoemProducer(producer, lines, { topic: TOPIC, partitions: PARTITIONS, minCopies: MIN_COPIES, maxCopies: MAX_COPIES, copyIntervalMs: COPY_INTERVAL_MS });
      poem.start();

      // Speed layer, killed while it holds view writes above its last commit (the restart replays them).
      const firstSpeed = await startSpeed(offsetsPath);
      await until('the speed layer to count some lines', async () => (await committedOffsets(offsetsPath, TOPIC, PARTITIONS)).some((offset) => offset > 0), 30_000, 100);
      checks.push(await checkAgainstRecount(log, 'speed layer running'));
      let atKill = { committed: [] as number[], the: {} as Record<string, number>, ends: [] as number[] };
      await killWhen(firstSpeed, async () => {
        const committed = await committedOffsets(offsetsPath, TOPIC, PARTITIONS);
        const the = (await viewGet('the')).offsets;
        const ends = await highWatermarks(log);
        atKill = { committed, the, ends };
        const writesAboveCommit = committed.some((offset, partition) => offset > 0 && (the[`${TOPIC}-${partition}`] ?? -1) >= offset);
        return writesAboveCommit && committed.every((offset, partition) => offset < ends[partition]!);
      }, 'the speed process to hold writes above its last commit, mid-stream', 30_000);
      checks.push(await checkAgainstRecount(log, 'speed layer killed'));
      const secondSpeed = await startSpeed(offsetsPath);
      checks.push(await checkAgainstRecount(log, 'speed layer restarted'));

      // A batch run to completion: version 1 goes live.
      const firstBatch = await runBatch();
      expect(firstBatch.version).toBe(1);
      checks.push(await checkAgainstRecount(log, 'first batch published'));

      // A batch run killed after loading part of version 2, before publishing it.
      const batchStartedAt = Date.now();
      const killedBatch = await startBatch();
      let partialKeys = 0;
      await killWhen(killedBatch, async () => (partialKeys = await batchKeysOf(2)) > 0 && (await liveVersion()) === 1, 'the batch run to have loaded part of version 2', 60_000);
      const killedAfterMs = Date.now() - batchStartedAt;
      expect(await liveVersion()).toBe(1);
      expect(partialKeys).toBeGreaterThan(0);
      const leftBehind = await batchKeysOf(2);
      for (const word of CHECKED_WORDS) expect((await viewGet(word)).batchVersion).toBe(1);
      checks.push(await checkAgainstRecount(log, 'batch killed mid-load'));

      // The batch again, to completion: the same version number, published over the partial keys.
      const rerunStartedAt = Date.now();
      const rerun = await runBatch();
      const rerunMs = Date.now() - rerunStartedAt;
      expect(rerun).toMatchObject({ version: 2, previousVersion: 1 });
      for (const [partition, cutOff] of Object.entries(firstBatch.cutOffs)) expect(rerun.cutOffs[partition]).toBeGreaterThanOrEqual(cutOff);
      checks.push(await checkAgainstRecount(log, 'batch rerun published'));

      const copies = await poem.finish();
      const ends = await highWatermarks(log);
      expect(ends.reduce((sum, end) => sum + end, 0)).toBe(copies * lines.length);
      let committed: number[] = [];
      await until('the speed layer to commit every offset', async () => (committed = await committedOffsets(offsetsPath, TOPIC, PARTITIONS)).every((offset, partition) => offset === ends[partition]), 90_000, 250).catch((error: unknown) => {
        throw new Error(`committed ${JSON.stringify(committed)} of ${JSON.stringify(ends)}; speed output:\n${secondSpeed.output()}`, { cause: error });
      });
      checks.push(await checkAgainstRecount(log, 'all committed'));

      // Every word: the oracle × copies, reflecting the log up to the later of the cut-off and its last occurrence.
      const once = oracleWordCount(lines.join('\n'));
      const actual: Record<string, { value: number; offsets: Record<string, number> }> = {};
      const expected: Record<string, { value: number; offsets: Record<string, number> }> = {};
      for (const [word, count] of [...once].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        const answer = await viewGet(word);
        actual[word] = { value: answer.value, offsets: answer.offsets };
        const offsets: Record<string, number> = {};
        for (let partition = 0; partition < PARTITIONS; partition += 1) {
          const name = `${TOPIC}-${partition}`;
          const held = log.partitions[partition]!;
          let last = -1;
          for (let offset = held.length - 1; offset >= 0 && last < 0; offset -= 1) if (occurrences(held[offset]!, word) > 0) last = offset;
          const reflected = Math.max(rerun.cutOffs[name] ?? -1, last);
          if (reflected >= 0) offsets[name] = reflected;
        }
        expected[word] = { value: count * copies, offsets };
      }
      expect(actual).toEqual(expected);
      await secondSpeed.stop(15_000);
      expect(await secondSpeed.waitForExit()).toBe(0); // SIGTERM: a clean stop, not the kill after the grace period

      console.log(
        [
          `lambda e2e: ${copies} copies of The Raven (${copies * lines.length} lines, ends ${JSON.stringify(ends)}), ${once.size} words, run ${Date.now() - startedAt} ms`,
          `speed killed with committed ${JSON.stringify(atKill.committed)} of ends ${JSON.stringify(atKill.ends)}, 'the' reflected ${JSON.stringify(atKill.the)} (replayed above the commit)`,
          `batch v1 cut-offs ${JSON.stringify(firstBatch.cutOffs)}; batch killed ${killedAfterMs} ms after start with ${partialKeys} keys of v2 loaded (${leftBehind} left in the store, not live); rerun ${rerunMs} ms, v2 cut-offs ${JSON.stringify(rerun.cutOffs)}`,
          ...checks,
        ].join('\n'),
      );
    } finally {
      await poem?.finish();
      await producer.disconnect();
      await log.close();
    }
  }, 300_000);
});
