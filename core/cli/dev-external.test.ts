/**
 * `barista dev` pointed at real external services instead of its embedded engines: a Debian
 * redis-server holding the view, a Debian ZooKeeper 3.8 holding the spout's offsets and the
 * embedded broker's and serving node's registrations, and librdkafka's mock cluster (an
 * independent Kafka-protocol server) as the log.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { runBarista } from '../../test/support/barista.js';
import { freePort } from '../../test/support/ports.js';
import { startProcess, type ManagedProcess } from '../../test/support/processes.js';
import { startRedisServer, type RunningRedis } from '../../test/support/redis.js';
import { DEBIAN_PYTHON, describeWithTools, runTool, TOOLS } from '../../test/support/tools.js';
import { startZooKeeper, type RunningZooKeeper } from '../../test/support/zookeeper.js';
import { oracleWordCount, topWords } from '../../test/support/word-count-oracle.js';

const raven = () => readFile(new URL('../../examples/wordcount/poems/raven.txt', import.meta.url), 'utf8');

/** Ports for whatever dev still embeds. */
async function embeddedPorts(): Promise<string[]> {
  return ['--coord-port', String(await freePort()), '--kafka-port', String(await freePort()), '--redis-port', String(await freePort())];
}

/** "count word source" lines → [word, count] pairs. */
function printedWords(stdout: string): Array<[string, number]> {
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [count, word] = line.trim().split(/\s+/);
      return [word!, Number(count)];
    });
}

describeWithTools([TOOLS.redisServer], 'barista dev --redis (a real redis-server)', () => {
  let redis: RunningRedis;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => redis?.stop());

  it('keeps the view in that Redis (compare-and-set by WATCH/MULTI/EXEC) and prints the oracle top words read back through it', async () => {
    const expected = topWords(oracleWordCount(await raven()), 5);
    const { code, stdout, stderr } = await runBarista(['--log-level', 'silent', 'dev', '--once', '--top', '5', '--redis', `127.0.0.1:${redis.port}`, ...(await embeddedPorts())], 90_000);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(printedWords(stdout)).toEqual(expected);
    const client = new Redis({ port: redis.port, lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    try {
      const keys = await client.keys('barista:view:wordcount:*');
      expect(keys).toEqual(expect.arrayContaining(['barista:view:wordcount:definition', 'barista:view:wordcount:pointer', 'barista:view:wordcount:b:1:nevermore', 'barista:view:wordcount:r:nevermore']));
      // A plain Redis has no VIEW.* commands: the merged answer exists only through the library.
      await expect(client.call('VIEW.GET', 'wordcount', 'nevermore')).rejects.toThrow(/unknown command/i);
    } finally {
      client.disconnect();
    }
  }, 120_000);

  it('refuses, in one line, to count a new embedded log into a view an earlier run left there', async () => {
    const view = 'leftover';
    const first = await runBarista(['--log-level', 'silent', 'dev', '--once', '--top', '1', '--view', view, '--redis', `127.0.0.1:${redis.port}`, ...(await embeddedPorts())], 90_000);
    expect(first.code).toBe(0);
    const second = await runBarista(['--log-level', 'silent', 'dev', '--once', '--view', view, '--redis', `127.0.0.1:${redis.port}`, ...(await embeddedPorts())], 90_000);
    expect(second.code).not.toBe(0);
    expect(second.stdout).toBe('');
    expect(second.stderr.trim().split('\n')).toEqual([expect.stringContaining(`barista: view '${view}' already exists at 127.0.0.1:${redis.port} from an earlier run`)]);
  }, 120_000);
});

/** What kazoo (Debian's python3-kazoo) reads at `paths`: data as text, or null when absent. */
async function readZnodes(port: number, paths: readonly string[]): Promise<Record<string, string | null>> {
  const script = [
    'import json, sys',
    'from kazoo.client import KazooClient',
    'zk = KazooClient(hosts=sys.argv[1]); zk.start(timeout=15)',
    'print(json.dumps({p: (zk.get(p)[0].decode() if zk.exists(p) else None) for p in sys.argv[2:]}))',
    'zk.stop()',
  ].join('\n');
  const run = await runTool(TOOLS.kazoo, ['-c', script, `127.0.0.1:${port}`, ...paths]);
  if (run.status !== 0) throw new Error(`kazoo failed: ${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, string | null>;
}

describeWithTools([TOOLS.java, TOOLS.zookeeperJar, TOOLS.kazoo], 'barista dev --zookeeper (a real ZooKeeper 3.8)', () => {
  let zookeeper: RunningZooKeeper;
  beforeAll(async () => {
    zookeeper = await startZooKeeper();
  }, 90_000);
  afterAll(async () => zookeeper?.stop());

  it('runs the embedded broker and serving node registered in ZooKeeper and leaves the spout offsets znode there', async () => {
    const text = await raven();
    const args = await embeddedPorts();
    // No coord is embedded, so its port may be taken by anything else.
    const coordPortHolder = createServer();
    await new Promise<void>((resolve) => coordPortHolder.listen(Number(args[args.indexOf('--coord-port') + 1]), '127.0.0.1', resolve));
    const { code, stdout, stderr } = await runBarista(['--log-level', 'silent', 'dev', '--once', '--top', '5', '--zookeeper', `127.0.0.1:${zookeeper.port}`, ...args], 90_000).finally(() => coordPortHolder.close());
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(printedWords(stdout)).toEqual(topWords(oracleWordCount(text), 5));

    const offsetsPath = '/barista/dev/wordcount/offsets/raven/0';
    const znodes = await readZnodes(zookeeper.port, [offsetsPath, '/brokers/topics/raven', '/serving/ring']);
    // The spout committed every record it was given: dev produced one record per line.
    expect(JSON.parse(znodes[offsetsPath]!)).toEqual({ topic: 'raven', partition: 0, offset: text.split('\n').length });
    // The broker and the serving node kept their cluster state in this ZooKeeper.
    expect(znodes['/brokers/topics/raven']).not.toBeNull();
    expect(znodes['/serving/ring']).not.toBeNull();
  }, 180_000);
});

/**
 * librdkafka's mock cluster (test.mock.num.brokers) inside a confluent-kafka Producer: a Kafka
 * protocol server of its own, on a loopback port it picks (written to a file once known). Asking for a topic's metadata makes the
 * mock create it (it has no CreateTopics), so the topic exists before barista dev starts.
 */
const MOCK_CLUSTER_SCRIPT = [
  'import os, sys, time',
  'from confluent_kafka import Producer',
  "producer = Producer({'test.mock.num.brokers': 1, 'bootstrap.servers': ''})",
  'metadata = producer.list_topics(topic=sys.argv[1], timeout=10)',
  'broker = next(iter(metadata.brokers.values()))',
  "open(sys.argv[2] + '.tmp', 'w').write(f'{broker.host}:{broker.port}')",
  "os.rename(sys.argv[2] + '.tmp', sys.argv[2])",
  'while True: time.sleep(1)',
].join('\n');

describeWithTools([TOOLS.confluentKafka], 'barista dev --kafka (librdkafka mock cluster)', () => {
  let mock: ManagedProcess;
  let bootstrap: string;
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'barista-mock-kafka-'));
    const bootstrapFile = join(directory, 'bootstrap');
    const readBootstrap = () => readFile(bootstrapFile, 'utf8').then((text) => text.trim());
    mock = await startProcess({ name: 'librdkafka mock cluster', command: DEBIAN_PYTHON, args: ['-c', MOCK_CLUSTER_SCRIPT, 'raven', bootstrapFile], ready: async () => /^\S+:\d+$/.test(await readBootstrap()) });
    bootstrap = await readBootstrap();
  }, 60_000);
  afterAll(async () => {
    await mock?.stop();
    await rm(directory, { recursive: true, force: true });
  });

  it('runs the word count with an independent Kafka implementation as its log (Metadata negotiated down to v2)', async () => {
    const expected = topWords(oracleWordCount(await raven()), 5);
    const { code, stdout, stderr } = await runBarista(['--log-level', 'silent', 'dev', '--once', '--top', '5', '--kafka', bootstrap, ...(await embeddedPorts())], 90_000);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(printedWords(stdout)).toEqual(expected);
  }, 120_000);
});

describe('barista dev with an unreachable external address', () => {
  it.each([
    ['--kafka', 'Kafka'],
    ['--zookeeper', 'ZooKeeper'],
    ['--redis', 'Redis'],
  ])('%s: one line naming it, non-zero exit, within a few seconds', async (flag, what) => {
    const address = `127.0.0.1:${await freePort()}`;
    const started = Date.now();
    const { code, stdout, stderr } = await runBarista(['--log-level', 'silent', 'dev', '--once', flag, address, ...(await embeddedPorts())], 30_000);
    const elapsedMs = Date.now() - started;
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^barista: cannot reach ${what} at ${address} \\(${flag}\\): .*ECONNREFUSED`))]);
    // The bound ("within a few seconds"), generous for a busy machine: no client retry loop.
    expect(elapsedMs).toBeLessThan(10_000);
  });
});
