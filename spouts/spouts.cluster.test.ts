/**
 * The ready-made spouts end to end on a real LocalCluster: the generator's partitioning and
 * replays across tasks, and the file spout's tail, checkpoint and resume across a kill and a new
 * submit with a fresh spout.
 */
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { appendFile, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CollectedTuples, CollectSink } from '../bolts/collect-sink.js';
import { BaseRichBolt, type OutputCollector } from '../core/topology/api/bolt.js';
import type { ResolvedConfig } from '../core/topology/api/config.js';
import type { TopologyContext } from '../core/topology/api/context.js';
import type { Tuple } from '../core/topology/api/tuple.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { TopologyBuilder } from '../core/topology/builder/topology-builder.js';
import { LocalCluster } from '../core/topology/runtime/local-cluster.js';
import { until } from '../test/support/until.js';
import { FileSpout, readFileCheckpoint } from './file-spout.js';
import { GeneratorSpout, GeneratorStats } from './generator-spout.js';

/** What a gate bolt decides per input, shared by its task copies (a class instance). */
class GatePolicy {
  readonly attempts = new Map<string, number>();
  /** Key → task id of the component that sent it (last attempt). */
  readonly senders = new Map<string, number>();

  constructor(readonly decide: (key: string, attempt: number) => 'pass' | 'fail' | 'hold') {}
}

/** Passes its input on (anchored), fails it, or holds it (never acks: the tree stays pending). */
class GateBolt extends BaseRichBolt {
  private collector: OutputCollector | undefined;

  constructor(
    private readonly policy: GatePolicy,
    private readonly keyField: string,
    private readonly fields: readonly string[],
  ) {
    super();
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(this.fields);
  }

  prepare(_config: ResolvedConfig, _context: TopologyContext, collector: OutputCollector): void {
    this.collector = collector;
  }

  execute(input: Tuple): void {
    const collector = this.collector;
    if (collector === undefined) throw new RangeError('GateBolt executed before prepare');
    const key = input.getStringByField(this.keyField);
    const attempt = (this.policy.attempts.get(key) ?? 0) + 1;
    this.policy.attempts.set(key, attempt);
    this.policy.senders.set(key, input.sourceTask);
    const decision = this.policy.decide(key, attempt);
    if (decision === 'fail') collector.fail(input);
    if (decision !== 'pass') return;
    collector.emit(input, input.values);
    collector.ack(input);
  }
}

let cluster: LocalCluster | undefined;
afterEach(async () => {
  await cluster?.shutdown();
  cluster = undefined;
});

describe('generator spout on a local cluster', () => {
  it('emits each sequence number once across its tasks and re-emits failed ones with the same values', async () => {
    cluster = new LocalCluster();
    const stats = new GeneratorStats();
    const total = 240;
    const spout = new GeneratorSpout({ seed: 9, total, stats, fields: ['sequence', 'sentence'], generate: (sequence, random) => [sequence, `s${Math.floor(random() * 1_000)}`] });
    const store = new CollectedTuples();
    // The first attempt of every 8th sequence number fails.
    const policy = new GatePolicy((key, attempt) => (Number(key) % 8 === 0 && attempt === 1 ? 'fail' : 'pass'));
    const builder = new TopologyBuilder();
    builder.setSpout('generator', spout, 3);
    builder.setBolt('gate', new GateBolt(policy, 'sequence', ['sequence', 'sentence']), 2).shuffleGrouping('generator');
    builder.setBolt('sink', new CollectSink(store)).shuffleGrouping('gate');
    await cluster.submitTopology('generator', {}, builder.createTopology());

    await until('every sequence acked', () => stats.acked === total);
    const failedFirst = Math.ceil(total / 8);
    expect(stats).toMatchObject({ emitted: total + failedFirst, replayed: failedFirst, failed: failedFirst, acked: total });
    expect(store.values().map(([sequence]) => sequence).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: total }, (_, sequence) => sequence));
    for (const [sequence, sentence] of store.values()) expect([sequence, sentence]).toEqual(spout.valuesOf(Number(sequence)));
    // Each of the 3 tasks emitted exactly one residue class of sequence numbers mod 3 (replays included).
    const tasksByResidue = new Map<number, Set<number>>();
    for (const [key, task] of policy.senders) tasksByResidue.set(Number(key) % 3, (tasksByResidue.get(Number(key) % 3) ?? new Set()).add(task));
    expect([...tasksByResidue.values()].map((tasks) => tasks.size)).toEqual([1, 1, 1]);
    expect(new Set([...tasksByResidue.values()].flatMap((tasks) => [...tasks])).size).toBe(3);
  });
});

describe('file spout on a local cluster', () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'file-spout-cluster-'));
    path = join(dir, 'input.txt');
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const linesOf = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, index) => `line ${from + index} of the file`);
  const text = (lines: readonly string[]): string => lines.map((line) => `${line}\n`).join('');

  async function submit(name: string, store: CollectedTuples, policy?: GatePolicy): Promise<void> {
    const builder = new TopologyBuilder();
    builder.setSpout('file', new FileSpout({ path, checkpointIntervalMs: 20 }));
    if (policy === undefined) {
      builder.setBolt('sink', new CollectSink(store), 2).shuffleGrouping('file');
    } else {
      builder.setBolt('gate', new GateBolt(policy, 'line', ['line']), 2).shuffleGrouping('file');
      builder.setBolt('sink', new CollectSink(store), 2).shuffleGrouping('gate');
    }
    await cluster?.submitTopology(name, {}, builder.createTopology());
  }

  const ackedBy = (name: string): number => cluster?.getStats(name).find((entry) => entry.componentId === 'file')?.acked ?? 0;
  const collectedLines = (store: CollectedTuples): string[] => store.values().map(([line]) => String(line));

  it('delivers every line, tails appended lines, and after a kill a fresh spout resumes from the checkpoint', async () => {
    cluster = new LocalCluster();
    const first = linesOf(0, 100);
    await writeFile(path, text(first));
    const store = new CollectedTuples();
    await submit('tail-1', store);
    await until('first lines acked', () => ackedBy('tail-1') === first.length);

    const appendedWhileRunning = linesOf(100, 130);
    await appendFile(path, text(appendedWhileRunning));
    await until('appended lines acked', () => ackedBy('tail-1') === first.length + appendedWhileRunning.length);
    expect(collectedLines(store).sort()).toEqual([...first, ...appendedWhileRunning].sort());

    await cluster.killTopology('tail-1');
    const fileSize = (await stat(path)).size;
    expect(await readFileCheckpoint(`${path}.checkpoint`)).toBe(fileSize);

    // Written while no topology runs, plus a last line still being written.
    const appendedWhileStopped = linesOf(130, 150);
    await appendFile(path, `${text(appendedWhileStopped)}half a li`);
    const resumed = new CollectedTuples();
    await submit('tail-2', resumed);
    await until('lines appended while stopped acked', () => ackedBy('tail-2') === appendedWhileStopped.length);
    await appendFile(path, 'ne\n');
    await until('the completed last line acked', () => ackedBy('tail-2') === appendedWhileStopped.length + 1);
    // Nothing below the checkpoint came again.
    expect(collectedLines(resumed).sort()).toEqual([...appendedWhileStopped, 'half a line'].sort());
  });

  it('replays failed lines, and re-reads from the checkpoint the lines still unacked at a kill', async () => {
    cluster = new LocalCluster();
    const lines = linesOf(0, 60);
    await writeFile(path, text(lines));
    const store = new CollectedTuples();
    // Every line's first attempt fails; line 40 is then held forever (never acked).
    const stuck = lines[40] as string;
    const policy = new GatePolicy((line, attempt) => (attempt === 1 ? 'fail' : line === stuck ? 'hold' : 'pass'));
    await submit('stuck-1', store, policy);
    await until('every line but the stuck one acked', () => ackedBy('stuck-1') === lines.length - 1);
    expect(collectedLines(store).sort()).toEqual(lines.filter((line) => line !== stuck).sort());
    expect(cluster.pendingTrees('stuck-1')).toBe(1);

    await cluster.killTopology('stuck-1');
    const checkpoint = await readFileCheckpoint(`${path}.checkpoint`);
    expect(checkpoint).toBe(Buffer.byteLength(text(lines.slice(0, 40))));

    // A fresh spout re-reads from the stuck line on (at-least-once), and nothing before it.
    const resumed = new CollectedTuples();
    await submit('stuck-2', resumed);
    await until('the rest acked', () => ackedBy('stuck-2') === lines.length - 40);
    expect(collectedLines(resumed).sort()).toEqual(lines.slice(40).sort());
  });
});
