/**
 * testcontainers: `barista dev` with every engine replaced by a real server image — Kafka (KRaft,
 * apache/kafka), ZooKeeper 3.8 and Redis 7 — counts The Raven exactly as the oracle does, keeps
 * the view's keys in Redis and the spout's offsets in ZooKeeper. Without a Docker engine (CI here)
 * the suite skips with one line.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { Redis } from 'ioredis';
import { GenericContainer, getContainerRuntimeClient, Wait, type StartedTestContainer } from 'testcontainers';
import { CoordClient } from '../../core/coord/client/coord-client.js';
import { runBarista } from '../support/barista.js';
import { describeWithDocker, dockerEngine } from '../support/docker.js';
import { freePort } from '../support/ports.js';
import { oracleWordCount, topWords } from '../support/word-count-oracle.js';

const engine = await dockerEngine();
const IMAGE_START_TIMEOUT_MS = 240_000;

/** Single-node KRaft Kafka. Its advertised listener must be the address this host reaches it at,
 * so the host port is chosen here and bound explicitly rather than mapped at random. */
async function startKafka(): Promise<{ container: StartedTestContainer; bootstrap: string }> {
  const host = (await getContainerRuntimeClient()).info.containerRuntime.host;
  const hostPort = await freePort();
  const container = await new GenericContainer('apache/kafka:3.7.0')
    .withExposedPorts({ container: 9092, host: hostPort })
    .withEnvironment({
      KAFKA_NODE_ID: '1',
      KAFKA_PROCESS_ROLES: 'broker,controller',
      KAFKA_LISTENERS: 'PLAINTEXT://:9092,CONTROLLER://:9093',
      KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${host}:${hostPort}`,
      KAFKA_CONTROLLER_LISTENER_NAMES: 'CONTROLLER',
      KAFKA_LISTENER_SECURITY_PROTOCOL_MAP: 'CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT',
      KAFKA_CONTROLLER_QUORUM_VOTERS: '1@localhost:9093',
      KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: '1',
      KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: '1',
      KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: '0',
    })
    .withWaitStrategy(Wait.forLogMessage(/Kafka Server started/))
    .withStartupTimeout(IMAGE_START_TIMEOUT_MS)
    .start();
  return { container, bootstrap: `${host}:${hostPort}` };
}

describeWithDocker(engine, 'barista dev on real Kafka, ZooKeeper and Redis images (testcontainers)', () => {
  let kafka: { container: StartedTestContainer; bootstrap: string };
  let zookeeper: StartedTestContainer;
  let redis: StartedTestContainer;
  beforeAll(async () => {
    [kafka, zookeeper, redis] = await Promise.all([
      startKafka(),
      new GenericContainer('zookeeper:3.8').withExposedPorts(2181).withWaitStrategy(Wait.forListeningPorts()).withStartupTimeout(IMAGE_START_TIMEOUT_MS).start(),
      new GenericContainer('redis:7').withExposedPorts(6379).withWaitStrategy(Wait.forLogMessage(/Ready to accept connections/)).withStartupTimeout(IMAGE_START_TIMEOUT_MS).start(),
    ]);
  }, IMAGE_START_TIMEOUT_MS + 60_000);
  afterAll(async () => {
    await Promise.all([kafka?.container.stop(), zookeeper?.stop(), redis?.stop()]);
  });

  it('counts The Raven as the oracle does, with the view in Redis and the spout offsets in ZooKeeper', async () => {
    const text = await readFile(new URL('../../examples/wordcount/poems/raven.txt', import.meta.url), 'utf8');
    const zookeeperAddress = `${zookeeper.getHost()}:${zookeeper.getMappedPort(2181)}`;
    const redisAddress = `${redis.getHost()}:${redis.getMappedPort(6379)}`;
    const { code, stdout, stderr } = await runBarista(
      ['--log-level', 'warn', 'dev', '--once', '--top', '5', '--kafka', kafka.bootstrap, '--zookeeper', zookeeperAddress, '--redis', redisAddress],
      180_000,
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const printed = stdout
      .trim()
      .split('\n')
      .map((line) => {
        const [count, word] = line.trim().split(/\s+/);
        return [word, Number(count)];
      });
    expect(printed).toEqual(topWords(oracleWordCount(text), 5));

    const client = new Redis({ host: redis.getHost(), port: redis.getMappedPort(6379), lazyConnect: true, maxRetriesPerRequest: 1 });
    await client.connect();
    try {
      expect(await client.exists('barista:view:wordcount:pointer', 'barista:view:wordcount:b:1:nevermore')).toBe(2);
    } finally {
      client.disconnect();
    }

    // The topic was new (dev created it with one partition), so the committed offset is one per line.
    const coord = await CoordClient.connect(zookeeperAddress);
    try {
      const { data } = await coord.getData('/barista/dev/wordcount/offsets/raven/0');
      expect(JSON.parse(data.toString('utf8'))).toEqual({ topic: 'raven', partition: 0, offset: text.split('\n').length });
    } finally {
      await coord.close();
    }
  }, 240_000);
});
