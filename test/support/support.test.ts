import { afterAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { spawnSync } from 'node:child_process';
import { startRedisServer, type RunningRedis } from './redis.js';
import { fourLetterWord, startZooKeeper, type RunningZooKeeper } from './zookeeper.js';
import { startProcess } from './processes.js';
import { DEBIAN_PYTHON, describeWithTools, missingTools, TOOLS } from './tools.js';
import { waitForPort } from './ports.js';

describe('process helper', () => {
  it('fails start-up with the process output when it exits early', async () => {
    await expect(startProcess({ name: 'false', command: 'sh', args: ['-c', 'echo broken config >&2; exit 3'], ready: async () => false })).rejects.toThrow(/broken config/);
  });

  it('kills a process that never becomes ready, and says so', async () => {
    const started = startProcess({ name: 'sleeper', command: 'sleep', args: ['60'], ready: async () => false, readyTimeoutMs: 300 });
    await expect(started).rejects.toThrow(/not ready after 300 ms/);
  });

  it('kill9 ends the process at once', async () => {
    const sleeper = await startProcess({ command: 'sleep', args: ['60'], ready: async () => true });
    await sleeper.kill9();
    expect(sleeper.running).toBe(false);
    expect(spawnSync('kill', ['-0', String(sleeper.pid)]).status).not.toBe(0);
  });

  it('names missing tools with their Debian package', () => {
    expect(missingTools([{ command: 'no-such-tool-barista', debianPackage: 'imaginary' }])).toEqual(['no-such-tool-barista (Debian package imaginary)']);
  });
});

describeWithTools([TOOLS.redisServer], 'real redis-server', () => {
  let redis: RunningRedis;
  afterAll(async () => redis?.stop());

  it('starts on a free loopback port and answers ioredis', async () => {
    redis = await startRedisServer();
    const client = new Redis({ port: redis.port, host: '127.0.0.1', lazyConnect: true });
    await client.connect();
    await client.set('k', 'v');
    expect(await client.get('k')).toBe('v');
    client.disconnect();
  });
});

describeWithTools([TOOLS.java, TOOLS.zookeeperJar], 'real ZooKeeper 3.8', () => {
  let zookeeper: RunningZooKeeper;
  afterAll(async () => zookeeper?.stop());

  it('starts standalone and answers four-letter words', async () => {
    zookeeper = await startZooKeeper();
    await waitForPort(zookeeper.port, 1_000);
    expect(await fourLetterWord(zookeeper.port, 'ruok')).toBe('imok');
    expect(await fourLetterWord(zookeeper.port, 'srvr')).toMatch(/Zookeeper version: 3\.8/);
  }, 90_000);
});

describeWithTools([TOOLS.kcat, TOOLS.redisCli, TOOLS.redisBenchmark, TOOLS.zkCli, TOOLS.kafkaPython, TOOLS.kazoo], 'compatibility clients', () => {
  it('kcat reports its librdkafka version', () => {
    const result = spawnSync('kcat', ['-V'], { encoding: 'utf8' });
    expect(`${result.stdout}${result.stderr}`).toMatch(/librdkafka/);
  });

  it('the Python clients import', () => {
    const result = spawnSync(DEBIAN_PYTHON, ['-c', 'import kafka, kazoo; print(kafka.__version__)'], { encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^\d+\.\d+/);
  });
});
