/**
 * confluent-kafka (Python over librdkafka 2.x) against an in-process Barista broker: an idempotent
 * acks=all producer with delivery reports, a consumer group split across two processes that
 * commits and a later member that resumes from the commit, the AdminClient, and every codec; and
 * the same produce/consume flow run against librdkafka's built-in mock cluster gives the same
 * partitions and offsets.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { Broker } from '../../core/log/broker/broker.js';
import { DEBIAN_PYTHON, describeWithTools, TOOLS } from '../support/tools.js';
import { until } from '../support/until.js';

const FLOWS = fileURLToPath(new URL('./confluent_kafka_flows.py', import.meta.url));
const TOPIC = 'confluent-orders';
const PARTITIONS = 4;
const FIRST_RECORDS = 100;
const LATER_RECORDS = 20;
const GROUP_WAIT_MS = 40_000;
/** A batch's baseOffset and length fields, which its length does not count. */
const BATCH_LOG_OVERHEAD_BYTES = 12;
const CODEC_IDS: Record<string, number> = { gzip: 1, snappy: 2, lz4: 3, zstd: 4 };

type Json = Record<string, unknown>;

interface Delivery {
  key: string;
  value: string;
  partition: number;
  offset: number;
}

/** A flows.py process whose stdout is JSON lines, collected as they arrive. */
class FlowProcess {
  readonly lines: Json[] = [];
  stderr = '';
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(args: string[]) {
    this.child = spawn(DEBIAN_PYTHON, [FLOWS, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    let pending = '';
    this.child.stdout!.on('data', (chunk: Buffer) => {
      pending += chunk.toString('utf8');
      const complete = pending.split('\n');
      pending = complete.pop()!;
      for (const line of complete) if (line.trim() !== '') this.lines.push(JSON.parse(line) as Json);
    });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.on('exit', resolve));
  }

  send(command: string): void {
    this.child.stdin!.write(command + '\n');
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }

  /** The last report, once the process has exited cleanly. */
  async result(): Promise<Json> {
    const status = await this.exited;
    expect(this.stderr).not.toMatch(/Traceback/);
    expect(status).toBe(0);
    return this.lines[this.lines.length - 1]!;
  }
}

/** A group member's view: its current assignment and the records it has polled. */
function memberState(member: FlowProcess): { assignment: number[]; records: Array<[number, number, string, string]> } {
  let assignment: number[] = [];
  const records: Array<[number, number, string, string]> = [];
  for (const line of member.lines) {
    if ('assigned' in line) assignment = line.assigned as number[];
    if ('revoked' in line) assignment = [];
    if ('record' in line) records.push(line.record as [number, number, string, string]);
  }
  return { assignment, records };
}

/** Codec ids and producer ids of the batches stored for one partition, read from the broker's log. */
async function storedBatches(broker: Broker, topic: string, partition: number): Promise<Array<{ codec: number; producerId: bigint }>> {
  const batches: Array<{ codec: number; producerId: bigint }> = [];
  for (const records of await broker.replicas.replica(topic, partition)!.log.readBuffers(0, 10 << 20)) {
    for (let at = 0; at < records.length; at += BATCH_LOG_OVERHEAD_BYTES + records.readInt32BE(at + 8)) {
      batches.push({ codec: records.readInt16BE(at + 21) & 0x07, producerId: records.readBigInt64BE(at + 43) });
    }
  }
  return batches;
}

function endOffsets(deliveries: readonly Delivery[]): Map<number, number> {
  const ends = new Map<number, number>();
  for (const { partition, offset } of deliveries) ends.set(partition, Math.max(ends.get(partition) ?? 0, offset + 1));
  return ends;
}

describeWithTools([TOOLS.confluentKafka], 'confluent-kafka (librdkafka) against a Barista broker', () => {
  let dataDir: string;
  let broker: Broker;
  let bootstrap: string;
  const started: FlowProcess[] = [];
  const flow = (...args: string[]): FlowProcess => {
    const process = new FlowProcess(args);
    started.push(process);
    return process;
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'barista-confluent-'));
    broker = await Broker.start({ dataDir, groups: { initialRebalanceDelayMs: 300 } });
    bootstrap = `127.0.0.1:${broker.address().port}`;
    const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS }] });
    await admin.disconnect();
  }, 30_000);

  afterAll(async () => {
    for (const process of started) process.kill();
    await broker.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  let firstDeliveries: Delivery[] = [];

  describe('idempotent producer', () => {
    it('delivers every keyed record with acks=all, offsets dense per partition, each key on one partition', async () => {
      const report = await flow('produce', bootstrap, TOPIC, String(FIRST_RECORDS)).result();
      expect(report).toMatchObject({ errors: [], undelivered: 0 });
      firstDeliveries = report.deliveries as Delivery[];
      expect(firstDeliveries.map((d) => d.value).sort()).toEqual(Array.from({ length: FIRST_RECORDS }, (_, i) => `value-${i}`).sort());
      const partitionsOfKey = new Map<string, Set<number>>();
      for (const { key, partition } of firstDeliveries) partitionsOfKey.set(key, (partitionsOfKey.get(key) ?? new Set()).add(partition));
      expect([...partitionsOfKey.values()].every((partitions) => partitions.size === 1)).toBe(true);
      for (const [partition, end] of endOffsets(firstDeliveries)) {
        const offsets = firstDeliveries.filter((d) => d.partition === partition).map((d) => d.offset).sort((a, b) => a - b);
        expect(offsets).toEqual(Array.from({ length: end }, (_, i) => i));
      }
      // The broker's log agrees with the delivery reports.
      for (const [partition, end] of endOffsets(firstDeliveries)) {
        expect(broker.replicas.replica(TOPIC, partition)!.log.logEndOffset).toBe(end);
        // Idempotence on: every batch carries the producer id InitProducerId handed out.
        expect((await storedBatches(broker, TOPIC, partition)).every(({ producerId }) => producerId >= 0n)).toBe(true);
      }
    }, 60_000);
  });

  describe('consumer group', () => {
    it('splits the partitions between two member processes, commits, and a later member resumes after the commit', async () => {
      const group = 'confluent-group';
      const ends = endOffsets(firstDeliveries);
      const a = flow('member', bootstrap, TOPIC, group);
      await until('member a to read every record', () => memberState(a).records.length >= FIRST_RECORDS, GROUP_WAIT_MS);
      expect(memberState(a).assignment).toEqual([0, 1, 2, 3]);

      const b = flow('member', bootstrap, TOPIC, group);
      const split = (): boolean => {
        const [ofA, ofB] = [memberState(a).assignment, memberState(b).assignment];
        return ofA.length > 0 && ofB.length > 0 && [...ofA, ...ofB].sort().join() === '0,1,2,3';
      };
      await until('the two members to split the partitions', split, GROUP_WAIT_MS);
      // b starts from the beginning of its partitions (nothing committed yet) and reaches their end.
      const readTo = (member: FlowProcess, partition: number): number => Math.max(-1, ...memberState(member).records.filter(([p]) => p === partition).map(([, offset]) => offset)) + 1;
      await until('member b to reach the end of its partitions', () => memberState(b).assignment.every((p) => readTo(b, p) === (ends.get(p) ?? 0)), GROUP_WAIT_MS);

      for (const member of [a, b]) member.send('commit');
      await until('both members to commit', () => [a, b].every((member) => member.lines.some((line) => 'committed' in line)), GROUP_WAIT_MS);
      const committed = [a, b].flatMap((member) => member.lines.find((line) => 'committed' in line)!.committed as Array<[number, number]>);
      expect(committed.sort((x, y) => x[0] - y[0])).toEqual([0, 1, 2, 3].map((p) => [p, ends.get(p) ?? 0]));
      // Group offsets as the broker holds them (read through kafkajs's admin, another client).
      const admin = new Kafka({ brokers: [bootstrap], logLevel: logLevel.NOTHING }).admin();
      await admin.connect();
      const fetched = await admin.fetchOffsets({ groupId: group, topics: [TOPIC] });
      await admin.disconnect();
      expect(fetched[0]!.partitions.map(({ partition, offset }) => [partition, Number(offset)]).sort((x, y) => x[0]! - y[0]!)).toEqual([0, 1, 2, 3].map((p) => [p, ends.get(p) ?? 0]));

      for (const member of [a, b]) member.send('close');
      await Promise.all([a.result(), b.result()]);

      const later = await flow('produce', bootstrap, TOPIC, String(LATER_RECORDS)).result();
      const laterDeliveries = later.deliveries as Delivery[];
      const c = flow('member', bootstrap, TOPIC, group);
      await until('member c to read the later records', () => memberState(c).records.length >= LATER_RECORDS, GROUP_WAIT_MS);
      c.send('close');
      await c.result();
      const seen = memberState(c).records.map(([partition, offset, , value]) => ({ partition, offset, value }));
      // Exactly the records after the commit: nothing before it is re-read.
      expect(seen.sort((x, y) => x.partition - y.partition || x.offset - y.offset)).toEqual(
        laterDeliveries.map(({ partition, offset, value }) => ({ partition, offset, value })).sort((x, y) => x.partition - y.partition || x.offset - y.offset),
      );
      expect(seen.every(({ partition, offset }) => offset >= (ends.get(partition) ?? 0))).toBe(true);
    }, 120_000);
  });

  describe('AdminClient', () => {
    it('creates a topic (a second create is TOPIC_ALREADY_EXISTS), lists it with its partitions, deletes it', async () => {
      const report = await flow('admin', bootstrap, 'confluent-admin-topic', '3').result();
      expect(report).toEqual({ create_again: 'TOPIC_ALREADY_EXISTS', brokers: 1, listed_partitions: [0, 1, 2], listed_after_delete: false });
      expect(broker.replicas.replica('confluent-admin-topic', 0)).toBeUndefined();
    }, 60_000);
  });

  describe('differential against librdkafka\'s mock cluster', () => {
    it('places every keyed record on the same partition at the same offset as the mock cluster does', async () => {
      const records = 200;
      // The mock cluster auto-creates the topic with its default partition count; ours gets the same.
      const mock = await flow('differential', 'mock', 'differential-topic', '0', String(records)).result();
      expect(mock).toMatchObject({ undelivered: 0, delivered_ok: records });
      const partitionCount = mock.partition_count as number;
      expect(partitionCount).toBeGreaterThan(1);
      const ours = await flow('differential', bootstrap, 'differential-topic', String(partitionCount), String(records)).result();
      expect(ours).toMatchObject({ undelivered: 0, delivered_ok: records, partition_count: partitionCount });
      // Same partitioner, same order: the per-partition (offset, key, value) sequences are identical.
      expect(ours.partitions).toEqual(mock.partitions);
      const read = Object.values(ours.partitions as Record<string, unknown[]>).flat();
      expect(read).toHaveLength(records);
    }, 90_000);
  });

  describe('compression', () => {
    it.each(['gzip', 'snappy', 'lz4', 'zstd'])('round-trips records produced with %s', async (codec) => {
      const report = await flow('compression', bootstrap, `confluent-${codec}`, codec).result();
      expect(report).toEqual({ undelivered: 0, same: true, read: 200 });
      // Stored as produced: compressed batches (librdkafka may leave one uncompressed), no other codec.
      const codecs = new Set((await storedBatches(broker, `confluent-${codec}`, 0)).map((batch) => batch.codec));
      expect(codecs.has(CODEC_IDS[codec]!)).toBe(true);
      expect([...codecs].every((id) => id === 0 || id === CODEC_IDS[codec])).toBe(true);
    }, 60_000);
  });
});
