/**
 * Real Kafka clients against a standalone `barista broker` process: kcat (librdkafka), kafkajs
 * (the framework's own client) and kafka-python, each producing and consuming through the
 * Kafka protocol with no change to the client.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { BARISTA_BIN } from '../support/barista.js';
import { freePort, waitForPort } from '../support/ports.js';
import { startProcess, type ManagedProcess } from '../support/processes.js';
import { DEBIAN_PYTHON, describeWithTools, TOOLS } from '../support/tools.js';

const KAFKA_PYTHON_FLOWS = fileURLToPath(new URL('./kafka_python_flows.py', import.meta.url));

describeWithTools([TOOLS.kcat, TOOLS.kafkaPython], 'Kafka clients against a Barista broker', () => {
  let broker: ManagedProcess;
  let dataDir: string;
  let bootstrap: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'barista-broker-'));
    const port = await freePort();
    bootstrap = `127.0.0.1:${port}`;
    broker = await startProcess({
      name: 'barista broker',
      command: process.execPath,
      args: [BARISTA_BIN, '--log-level', 'warn', 'broker', '--port', String(port), '--data-dir', dataDir, '--partitions', '2'],
      ready: async () => waitForPort(port, 100).then(() => true, () => false),
    });
  }, 30_000);
  afterAll(async () => {
    await broker?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  const kcat = (args: string[], input?: string) => spawnSync(TOOLS.kcat.command, ['-b', bootstrap, ...args], { input, encoding: 'utf8', timeout: 30_000 });

  it('kcat produces keyed messages and consumes them back byte for byte', () => {
    const lines = ['k1:hello', 'k2:wörld', 'k1:', 'k3:' + 'x'.repeat(5_000)];
    expect(kcat(['-P', '-t', 'kcat-topic', '-K:', '-p', '0'], lines.join('\n') + '\n').status).toBe(0);
    const consumed = kcat(['-C', '-t', 'kcat-topic', '-p', '0', '-o', 'beginning', '-e', '-K:', '-f', '%k:%s\\n']);
    expect(consumed.status).toBe(0);
    expect(consumed.stdout.split('\n').filter(Boolean)).toEqual(lines);
  });

  it('kcat -L lists the broker and the topics with their partitions', () => {
    const listing = kcat(['-L']).stdout;
    expect(listing).toMatch(/1 brokers:\s+broker 1 at 127\.0\.0\.1:\d+/);
    expect(listing).toMatch(/topic "kcat-topic" with 2 partitions/);
  });

  it('kafkajs produces with keys and headers, and its admin reads offsets and metadata', async () => {
    const kafka = new Kafka({ brokers: [bootstrap], clientId: 'compat', logLevel: logLevel.NOTHING });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    const sent = await producer.send({ topic: 'kafkajs-topic', messages: [{ key: 'a', value: 'one', headers: { trace: 'x1' }, partition: 1 }, { key: 'b', value: 'two', partition: 1 }] });
    await producer.disconnect();
    expect(sent).toEqual([expect.objectContaining({ topicName: 'kafkajs-topic', partition: 1, errorCode: 0, baseOffset: '0' })]);
    const admin = kafka.admin();
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets('kafkajs-topic');
    const metadata = await admin.fetchTopicMetadata({ topics: ['kafkajs-topic'] });
    await admin.disconnect();
    expect(offsets.find((o) => o.partition === 1)).toMatchObject({ low: '0', high: '2' });
    const admin2 = kafka.admin();
    await admin2.connect();
    const fromStart = await admin2.fetchTopicOffsetsByTimestamp('kafkajs-topic', 0);
    await admin2.disconnect();
    expect(fromStart.find((o) => o.partition === 1)).toMatchObject({ offset: '0' });
    expect(metadata.topics[0]!.partitions).toHaveLength(2);
    const consumed = kcat(['-C', '-t', 'kafkajs-topic', '-p', '1', '-o', 'beginning', '-e', '-f', '%k=%s %h\\n']);
    expect(consumed.stdout.split('\n').filter(Boolean)).toEqual(['a=one trace=x1', 'b=two ']);
  });

  it('kafka-python produces with acks 0, 1 and all (gzip), and a group-less consumer seeks', () => {
    const result = spawnSync(DEBIAN_PYTHON, [KAFKA_PYTHON_FLOWS, bootstrap, 'python-topic'], { encoding: 'utf8', timeout: 60_000 });
    expect(result.stderr).not.toMatch(/Traceback/);
    const report = JSON.parse(result.stdout.trim().split('\n').pop()!) as { from_offset_4: Array<[number, string, string]>; end_offsets: number };
    expect(report.end_offsets).toBe(9);
    expect(report.from_offset_4).toEqual([
      [4, 'k-1-1', 'v1'],
      [5, 'k-1-2', 'v2'],
      [6, 'k-all-0', 'v0'],
      [7, 'k-all-1', 'v1'],
      [8, 'k-all-2', 'v2'],
    ]);
  });

  it('answers an oversized or corrupt batch with a protocol error and stays up', async () => {
    const kafka = new Kafka({ brokers: [bootstrap], clientId: 'bad', logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const producer = kafka.producer();
    await producer.connect();
    await expect(producer.send({ topic: 'kafkajs-topic', messages: [{ value: Buffer.alloc(2 * 1024 * 1024) }], acks: 1 })).rejects.toThrow(/too large|MESSAGE_TOO_LARGE|larger/i);
    const after = await producer.send({ topic: 'kafkajs-topic', messages: [{ value: 'still fine', partition: 0 }] });
    await producer.disconnect();
    expect(after[0]).toMatchObject({ errorCode: 0 });
  });
});
