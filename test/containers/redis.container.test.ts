/**
 * testcontainers: the reference suites against real server images. Here a Redis image proves the
 * harness end to end; later issues add Kafka and ZooKeeper images and point Barista's
 * compatibility tests at both. Without a Docker engine (CI here) the suite skips with one line.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { GenericContainer, type StartedTestContainer } from 'testcontainers';
import { describeWithDocker, dockerEngine } from '../support/docker.js';

const engine = await dockerEngine();

describeWithDocker(engine, 'real Redis image (testcontainers)', () => {
  let container: StartedTestContainer;
  beforeAll(async () => {
    container = await new GenericContainer('redis:7-alpine').withExposedPorts(6379).start();
  }, 180_000);
  afterAll(async () => container?.stop());

  it('answers SET and GET through ioredis', async () => {
    const client = new Redis({ host: container.getHost(), port: container.getMappedPort(6379) });
    await client.set('barista', 'espresso');
    expect(await client.get('barista')).toBe('espresso');
    client.disconnect();
  });
});
