/**
 * Consumer groups with the other real clients. kcat's balanced consumer (`kcat -G group topic`, librdkafka 2.x) against a real broker: two
 * kcat processes in one group split six partitions, consume every record between them, commit,
 * and leave; the committed offsets cover everything they printed. kafka-python's KafkaConsumer
 * with a group_id consumes, commits, and a later member resumes after the commit.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { until } from '../../../test/support/until.js';
import { DEBIAN_PYTHON, describeWithTools, TOOLS } from '../../../test/support/tools.js';
import { KafkaConnection } from '../client/kafka-connection.js';
import { ApiKey } from '../protocol/index.js';
import { Broker } from './broker.js';

const KAFKA_PYTHON_GROUP = fileURLToPath(new URL('./kafka_python_group.py', import.meta.url));
const TOPIC = 'kcat-orders';
const PARTITIONS = 6;
const RECORDS = 300;

describeWithTools([TOOLS.kcat], 'kcat -G balanced consumer groups', () => {
  let dataDir: string;
  let broker: Broker;
  let bootstrap: string;
  let kafka: Kafka;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'barista-kcat-groups-'));
    broker = await Broker.start({ dataDir, groups: { initialRebalanceDelayMs: 300 } });
    bootstrap = `127.0.0.1:${broker.address().port}`;
    kafka = new Kafka({ clientId: 'kcat-groups-test', brokers: [bootstrap], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: TOPIC, messages: Array.from({ length: RECORDS }, (_, index) => ({ value: `r${index}`, partition: index % PARTITIONS })) });
    await producer.disconnect();
  }, 30_000);

  afterAll(async () => {
    await broker.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  interface KcatMember {
    process: ChildProcess;
    lines: string[];
    exited: Promise<number | null>;
  }

  function startKcat(group: string): KcatMember {
    const child = spawn(TOOLS.kcat.command, ['-b', bootstrap, '-G', group, '-o', 'beginning', '-u', '-q', '-f', '%p %o %s\\n', '-X', 'session.timeout.ms=6000', '-X', 'heartbeat.interval.ms=500', TOPIC], { stdio: ['ignore', 'pipe', 'pipe'] });
    const member: KcatMember = { process: child, lines: [], exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))) };
    let pending = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const text = pending + chunk.toString('utf8');
      const parts = text.split('\n');
      pending = parts.pop() ?? '';
      member.lines.push(...parts.filter(Boolean));
    });
    child.stderr?.resume();
    return member;
  }

  it('two kcat members split six partitions, consume every record between them and commit', async () => {
    const members = [startKcat('kcat-group'), startKcat('kcat-group')];
    try {
      const connection = new KafkaConnection({ host: '127.0.0.1', port: broker.address().port }, 'observer');
      let assignments: number[][] = [];
      await until('a stable group of two kcat members', async () => {
        const described = await connection.request(ApiKey.DescribeGroups, 4, { groups: ['kcat-group'], includeAuthorizedOperations: false });
        const group = described.groups[0];
        assignments = (group?.members ?? []).map((member) => AssignerProtocol.MemberAssignment.decode(member.memberAssignment)?.assignment[TOPIC] ?? []);
        return group?.groupState === 'Stable' && group.members.length === 2;
      }, 30_000);
      await connection.close();
      // librdkafka's range assignor: three partitions each, every partition owned once.
      expect(assignments.map((partitions) => partitions.length)).toEqual([3, 3]);
      expect(assignments.flat().sort()).toEqual([0, 1, 2, 3, 4, 5]);
      await until('every record printed', () => new Set(members.flatMap((member) => member.lines)).size === RECORDS, 30_000);
      for (const member of members) expect(member.lines.length).toBeGreaterThan(0);
      const values = members.flatMap((member) => member.lines.map((line) => line.split(' ')[2]));
      expect(new Set(values)).toEqual(new Set(Array.from({ length: RECORDS }, (_, index) => `r${index}`)));
    } finally {
      for (const member of members) member.process.kill('SIGTERM');
      await Promise.all(members.map((member) => member.exited));
    }
    const admin = kafka.admin();
    await admin.connect();
    const [offsets] = await admin.fetchOffsets({ groupId: 'kcat-group', topics: [TOPIC] });
    await admin.disconnect();
    expect(offsets?.partitions.reduce((sum, partition) => sum + Number(partition.offset), 0)).toBe(RECORDS);
  }, 60_000);
});

describeWithTools([TOOLS.kafkaPython], 'kafka-python KafkaConsumer(group_id=...)', () => {
  let dataDir: string;
  let broker: Broker;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'barista-python-groups-'));
    broker = await Broker.start({ dataDir, defaultPartitions: 3, groups: { initialRebalanceDelayMs: 300 } });
  });

  afterAll(async () => {
    await broker.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('consumes as a group member, commits, and a later member resumes after the commit', async () => {
    // Not spawnSync: the broker runs in this process and must keep answering.
    const child = spawn(DEBIAN_PYTHON, [KAFKA_PYTHON_GROUP, `127.0.0.1:${broker.address().port}`, 'python-orders', 'python-group'], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    const result = { stdout: '', stderr: '' };
    child.stdout.on('data', (chunk: Buffer) => (result.stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (result.stderr += chunk.toString('utf8')));
    await new Promise((resolve) => child.on('exit', resolve));
    expect(result.stderr.slice(-3000)).not.toMatch(/Traceback/);
    const report = JSON.parse(result.stdout) as { first: string[]; second: string[]; assignment: number[] };
    expect(report.assignment).toEqual([0, 1, 2]);
    expect(new Set(report.first)).toEqual(new Set(Array.from({ length: 20 }, (_, index) => `first-${index}`)));
    expect(report.second.sort()).toEqual(Array.from({ length: 5 }, (_, index) => `second-${index}`).sort());
  }, 90_000);
});
