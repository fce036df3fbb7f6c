import { afterEach, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { Redis } from 'ioredis';
import { BARISTA_BIN, runBarista } from '../../test/support/barista.js';
import { freePort, waitForPort } from '../../test/support/ports.js';
import { startProcess, type ManagedProcess } from '../../test/support/processes.js';
import { until } from '../../test/support/until.js';
import { oracleWordCount, topWords } from '../../test/support/word-count-oracle.js';

async function ports(): Promise<string[]> {
  return ['--coord-port', String(await freePort()), '--kafka-port', String(await freePort()), '--redis-port', String(await freePort())];
}

function portOf(args: readonly string[], flag: string): number {
  return Number(args[args.indexOf(flag) + 1]);
}

async function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

const raven = () => readFile(new URL('../../examples/wordcount/poems/raven.txt', import.meta.url), 'utf8');

describe('barista dev --once', () => {
  it('prints the top words of The Raven, matching the oracle, each from batch v1 plus realtime', async () => {
    const expected = topWords(oracleWordCount(await raven()), 5);
    const { code, stdout } = await runBarista(['--log-level', 'silent', 'dev', '--once', '--top', '5', ...(await ports())]);
    expect(code).toBe(0);
    const printed = stdout.trim().split('\n').map((line) => {
      const [count, word] = line.trim().split(/\s+/);
      return [word, Number(count)];
    });
    expect(printed).toEqual(expected);
    // Each count is the batch view up to its bucket-aligned cut-off plus the realtime deltas after it.
    for (const line of stdout.trim().split('\n')) expect(line).toMatch(/batch v1 to raven-0@99 \+ realtime to raven-0@\d+$/);
  });

  it('logs as structured JSON on stderr at the chosen level', async () => {
    const quiet = await runBarista(['--log-level', 'error', 'dev', '--once', '--top', '1', ...(await ports())]);
    expect(quiet.stderr).toBe('');
    const chatty = await runBarista(['--log-level', 'info', 'dev', '--once', '--top', '1', ...(await ports())]);
    const lines = chatty.stderr.trim().split('\n').map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(lines.some((line) => line.msg === 'batch view published' && line.level === 30)).toBe(true);
  });
});

describe('barista dev, running', () => {
  let dev: ManagedProcess | undefined;
  afterEach(async () => {
    await dev?.kill9();
    dev = undefined;
  });

  it('keeps serving queries, counts lines produced later, and stops cleanly on Ctrl-C', async () => {
    const args = await ports();
    const redisPort = portOf(args, '--redis-port');
    const kafkaPort = portOf(args, '--kafka-port');
    dev = await startProcess({
      name: 'barista dev',
      command: process.execPath,
      args: [BARISTA_BIN, '--log-level', 'warn', 'dev', '--top', '3', '--batch-cron', '*/2 * * * * *', ...args],
      ready: async () => {
        await waitForPort(redisPort, 100);
        return true;
      },
      readyTimeoutMs: 60_000,
    });
    const running = dev;
    await until('barista dev to print its endpoints', () => running.output().includes('barista dev is running'), 60_000);
    expect(running.output()).toContain(`redis-cli -p ${redisPort} VIEW.GET wordcount raven`);

    const oracle = oracleWordCount(await raven());
    const query = await runBarista(['query', 'wordcount', 'nevermore', '--port', String(redisPort)]);
    expect(query.code).toBe(0);
    expect(query.stdout).toContain(`wordcount[nevermore] = ${oracle.get('nevermore')}`);

    // More lines, from an ordinary Kafka client, reach the view through the running topology.
    const kafka = new Kafka({ brokers: [`127.0.0.1:${kafkaPort}`], clientId: 'dev-test', logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'raven', acks: -1, messages: [{ value: 'Nevermore, nevermore, quoth the test' }] });
    await producer.disconnect();
    const redis = new Redis({ port: redisPort, lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    try {
      const expected = oracle.get('nevermore')! + 2;
      await until('the new line in the view', async () => ((await redis.call('VIEW.GET', 'wordcount', 'nevermore')) as [number])[0] === expected, 20_000);
      // The cron recompute (every 2 s here) publishes newer batch versions while answers stay exact.
      await until('a second batch version', async () => ((await redis.call('VIEW.GET', 'wordcount', 'nevermore')) as [number, number])[1] >= 2, 20_000);
      expect(((await redis.call('VIEW.GET', 'wordcount', 'nevermore')) as [number])[0]).toBe(expected);
    } finally {
      redis.disconnect();
    }

    process.kill(running.pid, 'SIGINT');
    expect(await running.waitForExit()).toBe(0);
    for (const flag of ['--coord-port', '--kafka-port', '--redis-port']) expect(await isFree(portOf(args, flag))).toBe(true);
  }, 120_000);
});

describe('barista dev, refusing bad input', () => {
  let blocker: Server | undefined;
  afterEach(async () => {
    await new Promise((resolve) => (blocker === undefined ? resolve(undefined) : blocker.close(resolve)));
    blocker = undefined;
  });

  it('names a port in use on one line, exits non-zero and leaves nothing listening', async () => {
    const args = await ports();
    const kafkaPort = portOf(args, '--kafka-port');
    blocker = createServer();
    await new Promise<void>((resolve) => blocker!.listen(kafkaPort, '127.0.0.1', resolve));
    const { code, stdout, stderr } = await runBarista(['--log-level', 'silent', 'dev', ...args]);
    expect(code).not.toBe(0);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toEqual([`barista: port ${kafkaPort} (log, Kafka protocol) is in use; stop what holds it or pass --kafka-port <port>`]);
    expect(await isFree(portOf(args, '--coord-port'))).toBe(true);
    expect(await isFree(portOf(args, '--redis-port'))).toBe(true);
  });

  it('refuses a missing input file and a bad view name with one line each', async () => {
    const missing = await runBarista(['--log-level', 'silent', 'dev', '--input', '/nonexistent/poem.txt', ...(await ports())]);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr.trim()).toBe('barista: cannot read the input file /nonexistent/poem.txt: it does not exist or is not readable');
    const badView = await runBarista(['--log-level', 'silent', 'dev', '--view', 'word count', ...(await ports())]);
    expect(badView.code).not.toBe(0);
    expect(badView.stderr.trim()).toBe("barista: bad view name 'word count': use 1 to 128 letters, digits, _ . or -");
    const badCron = await runBarista(['--log-level', 'silent', 'dev', '--batch-cron', 'every minute', ...(await ports())]);
    expect(badCron.code).not.toBe(0);
    expect(badCron.stderr.trim().split('\n')).toHaveLength(1);
  });
});
