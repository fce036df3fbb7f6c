/**
 * kill -9 of a broker while producers write: every record whose produce was acknowledged
 * (acks=1) is there after the restart, exactly once, and the log accepts writes again.
 */
import { afterAll, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { BARISTA_BIN } from '../support/barista.js';
import { freePort, waitForPort } from '../support/ports.js';
import { startProcess, type ManagedProcess } from '../support/processes.js';
import { describeWithTools, TOOLS } from '../support/tools.js';

const ACKED_BEFORE_KILL = 300;

/** The broker logs "broker ready" (info) only after registering; at warn level, wait on its
 * Metadata instead: a broker that failed to register has exited. */
async function waitForRegistration(broker: ManagedProcess): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (!broker.running) throw new Error(`broker exited after restart:\n${broker.output()}`);
    if (/"msg":"broker ready"/.test(broker.output())) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`broker not registered within 20 s:\n${broker.output()}`);
}
const PRODUCERS = 4;

describeWithTools([TOOLS.kcat], 'broker under kill -9', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  it('keeps every acknowledged record, exactly once, across a kill -9 and restart', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'barista-broker-crash-'));
    cleanup.push(() => rm(dataDir, { recursive: true, force: true }));
    const port = await freePort();
    const start = () =>
      startProcess({
        name: 'barista broker',
        command: process.execPath,
        // A short coord session, so the restarted broker's stale registration expires quickly.
        args: [BARISTA_BIN, '--log-level', 'info', 'broker', '--port', String(port), '--data-dir', dataDir, '--coord-session-timeout', '4000'],
        ready: () => waitForPort(port, 100).then(() => true, () => false),
      });
    let broker: ManagedProcess = await start();
    cleanup.push(() => broker.stop());

    const kafka = new Kafka({ brokers: [`127.0.0.1:${port}`], clientId: 'crash', logLevel: logLevel.NOTHING, retry: { retries: 0 } });
    const producer = kafka.producer({ allowAutoTopicCreation: true });
    await producer.connect();
    await producer.send({ topic: 'crash', messages: [{ value: 'warm-up', partition: 0 }] });
    const acknowledged: string[] = ['warm-up'];
    let next = 0;
    let killed = false;
    const produce = async () => {
      while (!killed) {
        const value = `m-${next++}`;
        try {
          await producer.send({ topic: 'crash', acks: 1, messages: [{ value, partition: 0 }] });
          acknowledged.push(value);
        } catch {
          return; // the broker is gone: the outcome of this one is unknown
        }
      }
    };
    const producers = Array.from({ length: PRODUCERS }, produce);
    while (acknowledged.length < ACKED_BEFORE_KILL) await new Promise((resolve) => setTimeout(resolve, 5));
    killed = true;
    await broker.kill9();
    await Promise.all(producers);
    await producer.disconnect().catch(() => undefined);

    broker = await start();
    // The broker serves once it is registered again (its old registration expires first).
    await waitForRegistration(broker);
    const consumed = spawnSync(TOOLS.kcat.command, ['-b', `127.0.0.1:${port}`, '-C', '-t', 'crash', '-p', '0', '-o', 'beginning', '-e', '-q', '-f', '%s\\n'], { encoding: 'utf8', timeout: 30_000 });
    const values = consumed.stdout.split('\n').filter(Boolean);
    const counts = new Map<string, number>();
    for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
    expect(acknowledged.filter((value) => counts.get(value) !== 1)).toEqual([]);
    expect([...counts.values()].every((count) => count === 1)).toBe(true);

    const again = new Kafka({ brokers: [`127.0.0.1:${port}`], clientId: 'after', logLevel: logLevel.NOTHING });
    const after = again.producer();
    await after.connect();
    const [result] = await after.send({ topic: 'crash', messages: [{ value: 'after-restart', partition: 0 }] });
    await after.disconnect();
    expect(Number(result!.baseOffset)).toBe(values.length);
  }, 60_000);
});
