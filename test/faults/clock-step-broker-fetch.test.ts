/**
 * A broker holds a Fetch that finds no data for up to its maxWaitMs (long polling), timed on the
 * monotonic clock: a wall clock stepped back while the fetch waits must not stretch the wait by
 * the size of the step (it did: every append elsewhere woke the fetch, which then measured the
 * time left against the stepped clock and slept 30 s more, past the client's request timeout).
 * A real `barista broker` on a libfaketime clock; no randomness, so there is no seed to log.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel, type Producer } from 'kafkajs';
import { PartitionReader } from '../../core/log/client/partition-reader.js';
import { BARISTA_BIN } from '../support/barista.js';
import { freePort, waitForPort } from '../support/ports.js';
import { startProcess, type ManagedProcess } from '../support/processes.js';
import { FakeClock } from './harness/fake-clock.js';
import { sleep } from './harness/scenario.js';

const QUIET_TOPIC = 'quiet';
const BUSY_TOPIC = 'busy';
const MAX_WAIT_MS = 3_000;
const STEP_BACK_MS = 30_000;
/** Into the fetch's wait when the clock steps. */
const STEP_AFTER_MS = 500;
/** Appends to the busy topic wake every waiting fetch this often. */
const APPEND_EVERY_MS = 100;
/** The bound the protocol states (maxWaitMs), with room for a loaded machine; far below the step. */
const FETCH_BOUND_MS = MAX_WAIT_MS + 10_000;

describe('log broker: a long-polling fetch while the wall clock steps back', () => {
  let workDir: string;
  let clock: FakeClock;
  let broker: ManagedProcess;
  let port: number;
  let producer: Producer;
  let appending = true;
  let appender: Promise<void>;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'barista-clock-step-fetch-'));
    clock = await FakeClock.create(workDir, 'broker');
    port = await freePort();
    broker = await startProcess({
      name: 'barista broker on a fake clock',
      command: process.execPath,
      args: [BARISTA_BIN, '--log-level', 'warn', 'broker', '--port', String(port), '--data-dir', join(workDir, 'broker'), '--no-auto-create'],
      env: { ...process.env, ...clock.environment() },
      ready: () => waitForPort(port, 100).then(() => true, () => false),
    });
    const kafka = new Kafka({ clientId: 'clock-step', brokers: [`127.0.0.1:${port}`], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: QUIET_TOPIC, numPartitions: 1 }, { topic: BUSY_TOPIC, numPartitions: 1 }] });
    await admin.disconnect();
    producer = kafka.producer();
    await producer.connect();
    appender = (async () => {
      while (appending) {
        await producer.send({ topic: BUSY_TOPIC, messages: [{ value: 'tick' }] });
        await sleep(APPEND_EVERY_MS);
      }
    })();
  }, 30_000);

  afterAll(async () => {
    appending = false;
    await appender?.catch(() => undefined);
    await producer?.disconnect();
    await clock?.setOffset(0);
    await broker?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it(`answers an empty fetch within about its maxWaitMs (${MAX_WAIT_MS} ms), not ${STEP_BACK_MS / 1_000} s later`, async () => {
    const reader = new PartitionReader({ host: '127.0.0.1', port });
    try {
      const startedMs = performance.now();
      const fetched = reader.fetch(QUIET_TOPIC, 0, 0, { maxWaitMs: MAX_WAIT_MS });
      await sleep(STEP_AFTER_MS);
      await clock.setOffset(-STEP_BACK_MS);
      const result = await fetched;
      const elapsedMs = performance.now() - startedMs;
      expect(result.records).toEqual([]);
      expect(elapsedMs).toBeGreaterThanOrEqual(MAX_WAIT_MS - 50);
      expect(elapsedMs).toBeLessThan(FETCH_BOUND_MS);
    } finally {
      await reader.close();
    }
  }, 40_000);
});
