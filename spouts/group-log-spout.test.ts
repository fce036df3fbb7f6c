/**
 * The consumer-group log spout on a real LocalCluster against a real broker: two spout tasks in
 * one group share a four-partition topic and emit every record exactly once when nothing fails;
 * with a bolt failing some tuples every record is processed at least once and the committed
 * offsets reach the end; a resubmitted topology resumes from the committed offsets; buffering is
 * bounded by maxPendingPerPartition; a member joining moves partitions without losing records.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { CollectedTuples, CollectSink } from '../bolts/collect-sink.js';
import { Broker } from '../core/log/broker/broker.js';
import { BaseRichBolt, type OutputCollector } from '../core/topology/api/bolt.js';
import type { ResolvedConfig } from '../core/topology/api/config.js';
import type { TopologyContext } from '../core/topology/api/context.js';
import type { Tuple } from '../core/topology/api/tuple.js';
import type { OutputFieldsDeclarer } from '../core/topology/builder/components.js';
import { TopologyBuilder } from '../core/topology/builder/topology-builder.js';
import { LocalCluster } from '../core/topology/runtime/local-cluster.js';
import { until } from '../test/support/until.js';
import { GroupLogSpout, GroupLogSpoutStats, type GroupLogSpoutOptions } from './group-log-spout.js';

const PARTITIONS = 4;
const FIELDS = ['topic', 'partition', 'offset', 'key', 'value'];

type Decision = 'pass' | 'fail' | 'hold';

/** What the gate bolt does with each record, shared by its task copies (a class instance). */
class GatePolicy {
  readonly attempts = new Map<string, number>();
  executed = 0;
  constructor(readonly decide: (partition: number, offset: number, attempt: number, executed: number) => Decision) {}
}

/** Passes its input on (anchored), fails it, or holds it (never acks: the tree stays pending). */
class GateBolt extends BaseRichBolt {
  private collector: OutputCollector | undefined;

  constructor(private readonly policy: GatePolicy) {
    super();
  }

  declareOutputFields(declarer: OutputFieldsDeclarer): void {
    declarer.declare(FIELDS);
  }

  prepare(_config: ResolvedConfig, _context: TopologyContext, collector: OutputCollector): void {
    this.collector = collector;
  }

  execute(input: Tuple): void {
    const collector = this.collector;
    if (collector === undefined) throw new RangeError('GateBolt executed before prepare');
    const partition = Number(input.getValueByField('partition'));
    const offset = Number(input.getValueByField('offset'));
    const key = `${partition}:${offset}`;
    const attempt = (this.policy.attempts.get(key) ?? 0) + 1;
    this.policy.attempts.set(key, attempt);
    this.policy.executed += 1;
    const decision = this.policy.decide(partition, offset, attempt, this.policy.executed);
    if (decision === 'fail') collector.fail(input);
    if (decision !== 'pass') return;
    collector.emit(input, input.values);
    collector.ack(input);
  }
}

let dir: string;
let broker: Broker;
let kafka: Kafka;
let brokers: string[];
let producer: Producer;
let cluster: LocalCluster | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'group-log-spout-'));
  broker = await Broker.start({ dataDir: dir, groups: { initialRebalanceDelayMs: 300, minSessionTimeoutMs: 100 } });
  brokers = [`127.0.0.1:${broker.address().port}`];
  kafka = new Kafka({ brokers, clientId: 'group-log-spout-test', logLevel: logLevel.NOTHING });
  producer = kafka.producer();
  await producer.connect();
});
afterEach(async () => {
  await cluster?.shutdown();
  cluster = undefined;
});
afterAll(async () => {
  await producer.disconnect();
  await broker.close();
  await rm(dir, { recursive: true, force: true });
});

async function createTopic(topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: PARTITIONS }], waitForLeaders: true });
  await admin.disconnect();
}

/** Records from..to-1: record i goes to partition i mod 4, so its offset there is floor(i / 4) (when produced in order from 0). */
async function produce(topic: string, from: number, to: number): Promise<void> {
  const messages = Array.from({ length: to - from }, (_, index) => ({ key: `k${from + index}`, value: `r${from + index}`, partition: (from + index) % PARTITIONS }));
  await producer.send({ topic, messages });
}

async function committedOffsets(groupId: string, topic: string): Promise<number[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [offsets] = await admin.fetchOffsets({ groupId, topics: [topic] });
    return (offsets?.partitions ?? []).slice().sort((a, b) => a.partition - b.partition).map((entry) => Number(entry.offset));
  } finally {
    await admin.disconnect();
  }
}

function newSpout(topic: string, groupId: string, stats: GroupLogSpoutStats, options: Partial<GroupLogSpoutOptions> = {}): GroupLogSpout {
  return new GroupLogSpout({ brokers, topics: [topic], groupId, commitIntervalMs: 50, fetchMaxWaitMs: 50, heartbeatIntervalMs: 100, sessionTimeoutMs: 6_000, ...options }, stats);
}

async function submit(name: string, spout: GroupLogSpout, store: CollectedTuples, policy?: GatePolicy, messageTimeoutSecs = 10, spoutTasks = 2): Promise<void> {
  const builder = new TopologyBuilder();
  builder.setSpout('log', spout, spoutTasks);
  if (policy === undefined) {
    builder.setBolt('sink', new CollectSink(store), 2).shuffleGrouping('log');
  } else {
    builder.setBolt('gate', new GateBolt(policy), 2).shuffleGrouping('log');
    builder.setBolt('sink', new CollectSink(store), 2).shuffleGrouping('gate');
  }
  cluster ??= new LocalCluster();
  await cluster.submitTopology(name, { 'topology.message.timeout.secs': messageTimeoutSecs }, builder.createTopology());
}

/** Both tasks are members and the partitions are split between them, each assigned once. */
async function groupStable(stats: GroupLogSpoutStats): Promise<void> {
  await until('both tasks share the partitions', () => {
    const assignments = [...stats.assignments.values()];
    const all = assignments.flat().sort();
    return assignments.length === 2 && assignments.every((partitions) => partitions.length === 2) && new Set(all).size === PARTITIONS;
  });
}

const positions = (store: CollectedTuples): string[] => store.values().map((values) => `${String(values[1])}:${String(values[2])}`);
/** "partition:offset" of every record from partition offset `from[p]` up to `to` per partition. */
const expectedPositions = (from: readonly number[], to: number): string[] => from.flatMap((start, partition) => Array.from({ length: to - start }, (_, index) => `${partition}:${start + index}`));
const sorted = (items: readonly string[]): string[] => items.slice().sort();

describe('group log spout on a local cluster', () => {
  it('two tasks in one group emit every record of a four-partition topic exactly once when nothing fails', async () => {
    await createTopic('exact');
    const stats = new GroupLogSpoutStats();
    const store = new CollectedTuples();
    await submit('exact', newSpout('exact', 'g-exact', stats), store);
    await groupStable(stats);
    await produce('exact', 0, 400);
    await until('every record committed', async () => (await committedOffsets('g-exact', 'exact')).every((offset) => offset === 100));
    expect(sorted(positions(store))).toEqual(sorted(expectedPositions([0, 0, 0, 0], 100)));
    expect(store.values().every((values) => values[0] === 'exact' && values[4] === `r${Number(values[2]) * PARTITIONS + Number(values[1])}`)).toBe(true);
    expect(stats).toMatchObject({ emitted: 400, acked: 400, failed: 0, replayed: 0 });
    // Each partition was read by one task only.
    const readers = new Map<string, Set<number>>();
    for (const tuple of store.all()) readers.set(String(tuple.values[1]), (readers.get(String(tuple.values[1])) ?? new Set()).add(tuple.sourceTask));
    expect([...readers.values()].map((tasks) => tasks.size)).toEqual([1, 1, 1, 1]);
  });

  it('with a bolt failing one tuple in twenty, processes every record at least once and commits to the end', async () => {
    await createTopic('flaky');
    await produce('flaky', 0, 400);
    const stats = new GroupLogSpoutStats();
    const store = new CollectedTuples();
    const policy = new GatePolicy((_partition, _offset, _attempt, executed) => (executed % 20 === 0 ? 'fail' : 'pass'));
    await submit('flaky', newSpout('flaky', 'g-flaky', stats), store, policy);
    await until('committed offsets reach the end', async () => (await committedOffsets('g-flaky', 'flaky')).every((offset) => offset === 100));
    expect(new Set(positions(store))).toEqual(new Set(expectedPositions([0, 0, 0, 0], 100)));
    expect(stats.failed).toBeGreaterThan(0);
    expect(stats.replayed).toBeGreaterThanOrEqual(stats.failed);
  });

  it('a resubmitted topology resumes from the committed offsets: nothing below them again, nothing above them lost', async () => {
    await createTopic('resume');
    await produce('resume', 0, 200);
    const first = new GroupLogSpoutStats();
    // Partition 0 holds its records from offset 30 on: its commit stops there.
    const holding = new GatePolicy((partition, offset) => (partition === 0 && offset >= 30 ? 'hold' : 'pass'));
    await submit('resume-1', newSpout('resume', 'g-resume', first), new CollectedTuples(), holding);
    await until('committed up to the held records', async () => JSON.stringify(await committedOffsets('g-resume', 'resume')) === JSON.stringify([30, 50, 50, 50]));
    await cluster?.killTopology('resume-1');
    expect(await committedOffsets('g-resume', 'resume')).toEqual([30, 50, 50, 50]);

    await produce('resume', 200, 400);
    const second = new GroupLogSpoutStats();
    const store = new CollectedTuples();
    await submit('resume-2', newSpout('resume', 'g-resume', second), store);
    await until('committed offsets reach the end', async () => (await committedOffsets('g-resume', 'resume')).every((offset) => offset === 100));
    expect(sorted(positions(store))).toEqual(sorted(expectedPositions([30, 50, 50, 50], 100)));
  });

  it('holds at most maxPendingPerPartition records of a partition while nothing is acked, and resumes once acks make room', async () => {
    await createTopic('bounded');
    await produce('bounded', 0, 400);
    const stats = new GroupLogSpoutStats();
    let holding = true;
    // Held tuples time out (1 s), fail and are replayed; once released they pass.
    const policy = new GatePolicy(() => (holding ? 'hold' : 'pass'));
    const store = new CollectedTuples();
    await submit('bounded', newSpout('bounded', 'g-bounded', stats, { maxPendingPerPartition: 10 }), store, policy, 1);
    await until('every partition at its limit', () => stats.emitted === PARTITIONS * 10);
    expect(stats.maxHeldPerPartition).toBe(10);
    holding = false;
    await until('committed offsets reach the end', async () => (await committedOffsets('g-bounded', 'bounded')).every((offset) => offset === 100));
    expect(new Set(positions(store))).toEqual(new Set(expectedPositions([0, 0, 0, 0], 100)));
    expect(stats.maxHeldPerPartition).toBe(10);
    expect(stats.replayed).toBeGreaterThanOrEqual(PARTITIONS * 10);
  });

  it('a member joining takes over revoked partitions from their committed offsets; every record is still processed', async () => {
    await createTopic('rebalance');
    await produce('rebalance', 0, 400);
    const firstStats = new GroupLogSpoutStats();
    let holding = true;
    // The first member holds every record until the second joins: nothing it reads is committed.
    const firstPolicy = new GatePolicy(() => (holding ? 'hold' : 'pass'));
    const firstStore = new CollectedTuples();
    await submit('member-1', newSpout('rebalance', 'g-rebalance', firstStats, { maxPendingPerPartition: 20 }), firstStore, firstPolicy, 1, 1);
    await until('the single member holds every partition at its limit', () => firstStats.emitted === PARTITIONS * 20);
    expect(firstStats.assignments.get([...firstStats.assignments.keys()][0]!)).toHaveLength(PARTITIONS);

    const secondStats = new GroupLogSpoutStats();
    const secondStore = new CollectedTuples();
    await submit('member-2', newSpout('rebalance', 'g-rebalance', secondStats), secondStore, undefined, 10, 1);
    await until('the partitions are split between the members', () => [...firstStats.assignments.values(), ...secondStats.assignments.values()].every((partitions) => partitions.length === 2));
    holding = false;
    await until('committed offsets reach the end', async () => (await committedOffsets('g-rebalance', 'rebalance')).every((offset) => offset === 100), 20_000);
    expect(new Set([...positions(firstStore), ...positions(secondStore)])).toEqual(new Set(expectedPositions([0, 0, 0, 0], 100)));
    // The second member read its partitions from their start: the first member's reads of them were never committed.
    const secondPartitions = [...secondStats.assignments.values()].flat().map((key) => Number(key.split(':')[1]));
    for (const partition of secondPartitions) expect(positions(secondStore).filter((position) => position.startsWith(`${partition}:`))).toHaveLength(100);
    // The first member kept its other partitions and skipped what kafkajs delivered again after the rejoin: each record passed once.
    const keptPartitions = [...firstStats.assignments.values()].flat().map((key) => Number(key.split(':')[1]));
    for (const partition of keptPartitions) expect(positions(firstStore).filter((position) => position.startsWith(`${partition}:`))).toHaveLength(100);
  });
});
