/**
 * `npm run bench -- groups`: consumer groups on one spawned broker. (1) Throughput of a group of
 * three kafkajs members, each its own process, reading a topic of six partitions from the
 * beginning, against one kafkajs consumer (a group of one, also its own process) reading the same
 * topic in the same run. (2) Rebalance time when one of the three leaves (LeaveGroup on
 * disconnect): from its leaving until the two remaining members, told by their GROUP_JOIN events,
 * hold all six partitions and have each consumed a batch again — at kafkajs's default timeouts,
 * against the 3 s budget.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { BARISTA_BIN } from '../test/support/barista.js';
import { freePort, waitForPort } from '../test/support/ports.js';
import { startProcess } from '../test/support/processes.js';
import { printComparisons, type Comparison } from './report.js';

const TOPIC = 'group-bench';
const PARTITIONS = 6;
const MEMBERS = 3;
const RECORDS = Number(process.env.BENCH_GROUPS_RECORDS ?? 300_000);
const RECORD_BYTES = 100;
const PRODUCE_BATCH = 1_000;
const PRODUCE_IN_FLIGHT = 6;
/** Records written per second while the group rebalances, so "consuming again" is observable. */
const TRICKLE_PER_SECOND = 2_000;
const TRICKLE_BATCH = 100;
const REBALANCE_BUDGET_MS = 3_000;
const REBALANCE_ROUNDS = Number(process.env.BENCH_GROUPS_REBALANCES ?? 3);
const WAIT_LIMIT_MS = 60_000;

/**
 * One group member in its own process. It prints a line per event, with the wall clock (the
 * parent compares clocks of the same machine): `join <ms> <partitions> <join duration ms>`, `batch <ms> <records>`,
 * `leaving <ms>`; a line `leave` on stdin makes it disconnect (kafkajs sends LeaveGroup).
 */
const MEMBER_SCRIPT = `
const [kafkajsUrl, bootstrap, topic, groupId, from] = process.argv.slice(1);
const { Kafka, logLevel } = (await import(kafkajsUrl)).default;
const kafka = new Kafka({ brokers: bootstrap.split(','), clientId: groupId, logLevel: logLevel.NOTHING });
const consumer = kafka.consumer({ groupId });
const say = (line) => process.stdout.write(line + '\\n');
consumer.on(consumer.events.GROUP_JOIN, (event) => say('join ' + Date.now() + ' ' + ((event.payload.memberAssignment[topic] ?? []).join(',') || '-') + ' ' + event.payload.duration));
await consumer.connect();
await consumer.subscribe({ topic, fromBeginning: from === 'earliest' });
await consumer.run({ eachBatch: async ({ batch }) => say('batch ' + Date.now() + ' ' + batch.messages.length) });
process.stdin.on('data', async (chunk) => {
  if (!String(chunk).includes('leave')) return;
  say('leaving ' + Date.now());
  await consumer.disconnect();
  process.exit(0);
});
`;

interface MemberEvent {
  kind: 'join' | 'batch' | 'leaving';
  atMs: number;
  detail: string;
  /** For joins: how long kafkajs's JoinGroup + SyncGroup round took. */
  durationMs: number;
}

class MemberProcess {
  readonly events: MemberEvent[] = [];
  private readonly child: ChildProcessWithoutNullStreams;
  private waiters: Array<() => void> = [];

  constructor(bootstrap: string, groupId: string, from: 'earliest' | 'latest') {
    const kafkajsUrl = pathToFileURL(createRequire(import.meta.url).resolve('kafkajs')).href;
    this.child = spawn(process.execPath, ['--input-type=module', '-e', MEMBER_SCRIPT, kafkajsUrl, bootstrap, TOPIC, groupId, from]);
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const [kind, atMs, detail, durationMs] = line.split(' ');
      this.events.push({ kind: kind as MemberEvent['kind'], atMs: Number(atMs), detail: detail === '-' ? '' : (detail ?? ''), durationMs: Number(durationMs ?? 0) });
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  consumed(): number {
    return this.events.filter((event) => event.kind === 'batch').reduce((sum, event) => sum + Number(event.detail), 0);
  }

  /** Resolves once `condition` holds over the events seen so far (checked on every new line). */
  async waitFor(what: string, condition: () => boolean): Promise<void> {
    const deadline = Date.now() + WAIT_LIMIT_MS;
    while (!condition()) {
      if (Date.now() > deadline || this.child.exitCode !== null) throw new Error(`group member: gave up waiting for ${what}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  leave(): void {
    this.child.stdin.write('leave\n');
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }
}

async function waitForAll(what: string, members: MemberProcess[], condition: () => boolean): Promise<void> {
  await Promise.all(members.map((member) => member.waitFor(what, condition)));
}

interface Throughput {
  recordsPerSecond: number;
  /** Rebalances after the first generation (a member that started late joins a running group). */
  extraRebalances: number;
}

/** Records per second from the first batch any member received to the moment all RECORDS were in. */
async function groupThroughput(bootstrap: string, groupId: string, size: number): Promise<Throughput> {
  const members = Array.from({ length: size }, () => new MemberProcess(bootstrap, groupId, 'earliest'));
  try {
    const total = () => members.reduce((sum, member) => sum + member.consumed(), 0);
    await waitForAll(`${RECORDS} records consumed by ${groupId}`, members, () => total() >= RECORDS);
    const batches = members.flatMap((member) => member.events.filter((event) => event.kind === 'batch'));
    const firstMs = Math.min(...batches.map((event) => event.atMs));
    const lastMs = Math.max(...batches.map((event) => event.atMs));
    const joins = members.reduce((sum, member) => sum + member.events.filter((event) => event.kind === 'join').length, 0);
    return { recordsPerSecond: RECORDS / (Math.max(1, lastMs - firstMs) / 1000), extraRebalances: Math.ceil((joins - size) / size) };
  } finally {
    await Promise.all(members.map((member) => member.stop()));
  }
}

interface Rebalance {
  /** From the member's leaving until the others hold every partition and have each consumed again. */
  totalMs: number;
  /**
   * The JoinGroup + SyncGroup round of the last remaining member to rejoin: the broker's share.
   * The first to rejoin waits in JoinGroup for the others; until then every member waits for its
   * next heartbeat (kafkajs: every 3 s) to learn of the rebalance.
   */
  joinMs: number;
}

async function rebalance(bootstrap: string, groupId: string): Promise<Rebalance> {
  // From the end of the topic: the trickle alone feeds them, so only the rebalance is measured.
  const members = Array.from({ length: MEMBERS }, () => new MemberProcess(bootstrap, groupId, 'latest'));
  const kafka = new Kafka({ brokers: bootstrap.split(','), clientId: 'bench-trickle', logLevel: logLevel.NOTHING });
  const producer = kafka.producer();
  await producer.connect();
  let trickling = true;
  const trickle = (async () => {
    const value = Buffer.alloc(RECORD_BYTES, 'y');
    while (trickling) {
      await producer.send({ topic: TOPIC, messages: Array.from({ length: TRICKLE_BATCH }, () => ({ value })) });
      await new Promise((resolve) => setTimeout(resolve, (1000 * TRICKLE_BATCH) / TRICKLE_PER_SECOND));
    }
  })();
  try {
    const latestJoinMs = (member: MemberProcess) => member.events.filter((event) => event.kind === 'join').at(-1)?.atMs ?? Infinity;
    const latestPartitions = (member: MemberProcess) => member.events.filter((event) => event.kind === 'join').at(-1)?.detail.split(',').filter(Boolean) ?? [];
    const holdsAll = (group: MemberProcess[]) => new Set(group.flatMap(latestPartitions)).size === PARTITIONS;
    const consumingSince = (member: MemberProcess, sinceMs: number) => member.events.some((event) => event.kind === 'batch' && event.atMs >= Math.max(sinceMs, latestJoinMs(member)));
    await waitForAll('three members consuming', members, () => holdsAll(members) && members.every((member) => latestPartitions(member).length > 0 && consumingSince(member, 0)));

    const [leaver, ...remaining] = members as [MemberProcess, ...MemberProcess[]];
    leaver.leave();
    await leaver.waitFor('the leaving member\'s goodbye', () => leaver.events.some((event) => event.kind === 'leaving'));
    const leftMs = leaver.events.find((event) => event.kind === 'leaving')!.atMs;
    const rejoined = (member: MemberProcess) => latestJoinMs(member) > leftMs && consumingSince(member, leftMs);
    await waitForAll('the remaining members consuming all partitions', remaining, () => remaining.every(rejoined) && holdsAll(remaining));
    const consumingAgainMs = Math.max(...remaining.map((member) => member.events.find((event) => event.kind === 'batch' && event.atMs >= latestJoinMs(member))!.atMs));
    const joinMs = Math.min(...remaining.map((member) => member.events.filter((event) => event.kind === 'join').at(-1)!.durationMs));
    return { totalMs: consumingAgainMs - leftMs, joinMs };
  } finally {
    trickling = false;
    await trickle.catch(() => undefined);
    await producer.disconnect();
    await Promise.all(members.map((member) => member.stop()));
  }
}

async function fillTopic(bootstrap: string): Promise<void> {
  const kafka = new Kafka({ brokers: bootstrap.split(','), clientId: 'bench-groups', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  const value = Buffer.alloc(RECORD_BYTES, 'x');
  let remaining = RECORDS / PRODUCE_BATCH;
  let batchNumber = 0;
  const worker = async () => {
    while (remaining-- > 0) {
      // Whole batches to one partition in turn: every partition gets RECORDS / PARTITIONS.
      const partition = batchNumber++ % PARTITIONS;
      await producer.send({ topic: TOPIC, acks: 1, messages: Array.from({ length: PRODUCE_BATCH }, () => ({ value, partition })) });
    }
  };
  await Promise.all(Array.from({ length: PRODUCE_IN_FLIGHT }, worker));
  await producer.disconnect();
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'barista-bench-groups-'));
  const port = await freePort();
  const broker = await startProcess({
    name: 'barista broker',
    command: process.execPath,
    args: [BARISTA_BIN, '--log-level', 'info', 'broker', '--port', String(port), '--data-dir', join(dir, 'broker')],
    ready: () => waitForPort(port, 100).then(() => true, () => false),
  });
  try {
    while (!/"msg":"broker ready"/.test(broker.output())) await new Promise((resolve) => setTimeout(resolve, 50));
    const bootstrap = `127.0.0.1:${port}`;
    await fillTopic(bootstrap);
    const single = await groupThroughput(bootstrap, 'bench-single', 1);
    const group = await groupThroughput(bootstrap, 'bench-trio', MEMBERS);
    const rebalances: Rebalance[] = [];
    for (let round = 0; round < REBALANCE_ROUNDS; round++) rebalances.push(await rebalance(bootstrap, `bench-rebalance-${round}`));
    const rows: Comparison[] = [
      { case: `consume, group of ${MEMBERS} processes, ${PARTITIONS} partitions (${group.extraRebalances} extra rebalances)`, unit: 'records/s', barista: group.recordsPerSecond, baseline: single.recordsPerSecond, baselineName: 'one consumer' },
      ...rebalances.map(({ totalMs, joinMs }, round) => ({
        case: `rebalance after 1 of ${MEMBERS} leaves, round ${round + 1} (last JoinGroup+SyncGroup ${joinMs} ms)`,
        unit: 'ms',
        barista: totalMs,
        baseline: REBALANCE_BUDGET_MS,
        baselineName: 'budget',
        goal: 1,
        lowerIsBetter: true,
      })),
    ];
    printComparisons(`groups: ${RECORDS} records of ${RECORD_BYTES} B, kafkajs default timeouts (session 30 s, heartbeat 3 s)`, rows);
  } finally {
    await broker.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
