/**
 * kill -9 of the word-count topology process mid-run, then a restart with the same offsets file:
 * the output topic then holds every word occurrence at least once — summing all deltas gives at
 * least the oracle's counts — and deduplicating by source key gives exactly the oracle's counts.
 *
 * The log runs in this process (coord + broker); the topology runs as
 * `node dist/examples/wordcount/run-topology.js` (built by `npm test`'s pretest). The first run is
 * throttled (one line in flight, a lingering sink) so that the kill lands mid-run; the moment is
 * chosen with the process stopped (SIGSTOP), so what it had committed and written cannot change
 * under the check: some offsets committed, and some output from lines above the commit — which
 * the restart must process, and write, again.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../core/cli/package-root.js';
import { startProcess, type ManagedProcess } from '../../test/support/processes.js';
import { until } from '../../test/support/until.js';
import { oracleWordCount } from '../../test/support/word-count-oracle.js';
import { READY_LINE } from './run-topology.js';
import { committedOffsets, createTopics, produceLines, ravenText, readDeltas, sortedCounts, startEmbeddedLog, type EmbeddedLog } from './test-support.js';
import { parseSourceKey, sumAllDeltas, sumDeduplicatedDeltas, type WordDeltaRecord } from './word-deltas.js';

const RUN_TOPOLOGY_JS = join(packageRoot(), 'dist', 'examples', 'wordcount', 'run-topology.js');
const TOPIC = 'raven';
const OUT_TOPIC = 'raven-word-deltas';
const PARTITIONS = 2;
/** First run: one line in flight, each held by the sink ~20 ms, commits every 100 ms — a few seconds in all. */
const THROTTLED = ['--max-spout-pending', '1', '--emits-per-call', '1', '--linger-ms', '20', '--commit-interval-ms', '100'];

let log: EmbeddedLog;
let oracle: Map<string, number>;
let endOffsets: number[];
const started: ManagedProcess[] = [];

beforeAll(async () => {
  if (!existsSync(RUN_TOPOLOGY_JS)) throw new Error(`${RUN_TOPOLOGY_JS} is missing: run "npm run build" (npm test does it first)`);
  log = await startEmbeddedLog('wordcount-crash');
  await createTopics(log, [
    { topic: TOPIC, numPartitions: PARTITIONS },
    { topic: OUT_TOPIC, numPartitions: 1 },
  ]);
  const text = await ravenText();
  oracle = oracleWordCount(text);
  endOffsets = await produceLines(log, TOPIC, text.split('\n'), PARTITIONS);
});
afterEach(async () => {
  for (const process of started.splice(0)) await process.kill9();
});
afterAll(async () => {
  await log.close();
});

async function startTopology(offsetsPath: string, extraArgs: readonly string[]): Promise<ManagedProcess> {
  const args = [RUN_TOPOLOGY_JS, '--bootstrap', log.brokers[0]!, '--topic', TOPIC, '--out-topic', OUT_TOPIC, '--offsets', offsetsPath, ...extraArgs];
  const topology = await startProcess({ command: process.execPath, args, name: 'run-topology', ready: async () => true });
  started.push(topology);
  await until('the topology process to be running', () => {
    if (!topology.running) throw new Error(`run-topology exited; its output:\n${topology.output()}`);
    return topology.output().includes(READY_LINE);
  }, 20_000);
  return topology;
}

/** Records written from lines at or above the committed offset of their partition. */
function aboveCommit(records: readonly WordDeltaRecord[], committed: readonly number[]): WordDeltaRecord[] {
  return records.filter((record) => {
    const { partition, offset } = parseSourceKey(record.key);
    return offset >= committed[partition]!;
  });
}

/** Stops `topology` (SIGSTOP) and holds it stopped if `ready` holds for what it committed and wrote; else lets it go on. */
async function stoppedWhen(topology: ManagedProcess, offsetsPath: string, ready: (committed: number[], records: WordDeltaRecord[]) => boolean): Promise<boolean> {
  process.kill(topology.pid, 'SIGSTOP');
  let hold = false;
  try {
    hold = ready(await committedOffsets(offsetsPath, TOPIC, PARTITIONS), await readDeltas(log, OUT_TOPIC));
    return hold;
  } finally {
    if (!hold) process.kill(topology.pid, 'SIGCONT');
  }
}

describe('word-count topology process killed with SIGKILL', () => {
  it('after a restart from the same offsets file, all deltas sum to at least the oracle and deduplicated deltas to exactly it', async () => {
    const offsetsPath = join(log.dir, 'wordcount-offsets.json');
    const first = await startTopology(offsetsPath, THROTTLED);
    await until(
      'some offsets committed and some output from lines above them',
      () => stoppedWhen(first, offsetsPath, (committed, records) => committed.some((offset) => offset > 0) && aboveCommit(records, committed).length > 0),
      20_000,
      20,
    );
    await first.kill9();
    const committedAtCrash = await committedOffsets(offsetsPath, TOPIC, PARTITIONS);
    const beforeCrash = await readDeltas(log, OUT_TOPIC);
    const toReplay = aboveCommit(beforeCrash, committedAtCrash);
    expect(toReplay.length).toBeGreaterThan(0);
    expect(committedAtCrash.some((offset, partition) => offset < endOffsets[partition]!)).toBe(true); // killed mid-run

    const second = await startTopology(offsetsPath, []);
    await until(
      'every line of the input committed',
      async () => (await committedOffsets(offsetsPath, TOPIC, PARTITIONS)).every((offset, partition) => offset === endOffsets[partition]),
      30_000,
    );
    await second.stop();
    expect(await second.waitForExit()).toBe(0); // SIGTERM: a clean stop, not the kill after the grace period

    const records = await readDeltas(log, OUT_TOPIC);
    const afterRestart = records.slice(beforeCrash.length);
    // The restart resumed from the offsets file: no line below the commit again, every line above it again.
    expect(afterRestart.filter((record) => !aboveCommit([record], committedAtCrash).length)).toEqual([]);
    const rewritten = new Set(afterRestart.map((record) => record.key));
    expect(toReplay.filter((record) => !rewritten.has(record.key))).toEqual([]);

    const all = sumAllDeltas(records);
    expect(new Set(all.keys())).toEqual(new Set(oracle.keys()));
    expect([...oracle].filter(([word, count]) => all.get(word)! < count)).toEqual([]);
    const total = (counts: Map<string, number>) => [...counts.values()].reduce((sum, count) => sum + count, 0);
    expect(total(all)).toBeGreaterThanOrEqual(total(oracle) + toReplay.length); // the replayed lines' words, twice
    expect(sortedCounts(sumDeduplicatedDeltas(records))).toEqual(sortedCounts(oracle));
  });
});
