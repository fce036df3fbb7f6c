/**
 * kcat's balanced consumer (`kcat -G group topic`, librdkafka 2.x) against a real broker: two
 * kcat processes in one group split six partitions, consume every record between them, commit,
 * and leave; the committed offsets cover everything they printed.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AssignerProtocol, Kafka, logLevel } from 'kafkajs';
import { until } from '../../../test/support/until.js';
import { describeWithTools, TOOLS } from '../../../test/support/tools.js';
import { KafkaConnection } from '../client/kafka-connection.js';
import { ApiKey } from '../protocol/index.js';
import { Broker } from './broker.js';

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
