/**
 * `barista groups` against a real `barista broker` process and a kafkajs consumer group that
 * consumes a topic and commits part of it: list shows the group, describe shows each partition's
 * committed offset, log-end offset, lag and owning member, delete refuses an active group and
 * removes an empty one.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { runBarista } from '../../test/support/barista.js';
import { failureLine } from '../../test/support/cli-output.js';
import { startBroker } from '../../test/support/log-brokers.js';
import type { ManagedProcess } from '../../test/support/processes.js';
import { until } from '../../test/support/until.js';

const TOPIC = 'events';
const GROUP = 'readers';
const CLIENT_ID = 'cli-groups-reader';
const PARTITIONS = 2;
const RECORDS_PER_PARTITION = 5;
/** The consumer commits the offset after each of the first records of a partition, and no more. */
const COMMITTED_PER_PARTITION = 3;
/** Each test runs several CLI processes, each a second or more to start on a loaded machine. */
const CLI_TEST_TIMEOUT_MS = 120_000;

let workDir: string;
let broker: ManagedProcess;
let bootstrap: string;
let kafka: Kafka;
let consumer: Consumer | undefined;

const groups = (...args: string[]) => runBarista(['groups', '--bootstrap-server', bootstrap, ...args]);

/** Table rows (after the header line starting with `header`), split on runs of spaces. */
function tableRows(stdout: string, header: string): string[][] {
  const lines = stdout.trim().split('\n');
  const start = lines.findIndex((line) => line.startsWith(header));
  expect(start).toBeGreaterThanOrEqual(0);
  return lines.slice(start + 1).map((line) => line.trim().split(/\s+/));
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'barista-groups-cli-'));
  ({ process: broker, bootstrap } = await startBroker({ name: 'barista broker', dataDir: join(workDir, 'broker') }));
  kafka = new Kafka({ clientId: CLIENT_ID, brokers: [bootstrap], logLevel: logLevel.NOTHING });
  const created = await runBarista(['topics', '--bootstrap-server', bootstrap, 'create', '--topic', TOPIC, '--partitions', String(PARTITIONS), '--replication-factor', '1']);
  expect(created.code).toBe(0);
  const producer = kafka.producer();
  await producer.connect();
  const messages = Array.from({ length: PARTITIONS * RECORDS_PER_PARTITION }, (_, index) => ({ value: `record-${index}`, partition: index % PARTITIONS }));
  await producer.send({ topic: TOPIC, messages });
  await producer.disconnect();
}, 60_000);

afterAll(async () => {
  await consumer?.disconnect();
  await broker?.stop();
  await rm(workDir, { recursive: true, force: true });
});

describe('barista groups', () => {
  it('describes an active group: committed offset, log-end offset, lag and the member owning each partition', async () => {
    consumer = kafka.consumer({ groupId: GROUP, maxWaitTimeInMs: 200, heartbeatInterval: 500 });
    let seen = 0;
    await consumer.connect();
    await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
    const active = consumer;
    await active.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        const next = Number(message.offset) + 1;
        if (next <= COMMITTED_PER_PARTITION) await active.commitOffsets([{ topic: TOPIC, partition, offset: String(next) }]);
        seen += 1;
      },
    });
    // A partition's records are handled in order, so once every record is seen every commit is done.
    await until('the consumer to see every record', () => seen === PARTITIONS * RECORDS_PER_PARTITION, 30_000);

    const described = await groups('describe', '--group', GROUP);
    expect(described.stderr).toBe('');
    expect(described.code).toBe(0);
    expect(described.stdout).toMatch(new RegExp(`^Group: ${GROUP} {2}State: Stable {2}Protocol: \\S+ {2}Members: 1$`, 'm'));
    const rows = tableRows(described.stdout, 'GROUP');
    expect(rows).toHaveLength(PARTITIONS);
    for (const [partition, row] of rows.entries()) {
      const [group, topic, partitionColumn, current, logEnd, lag, consumerId, host, clientId] = row;
      expect([group, topic, partitionColumn, current, logEnd, lag]).toEqual([GROUP, TOPIC, String(partition), '3', '5', '2']);
      expect(consumerId).toMatch(new RegExp(`^${CLIENT_ID}-`));
      expect([host, clientId]).toEqual(['127.0.0.1', CLIENT_ID]);
    }
  }, CLI_TEST_TIMEOUT_MS);

  it('lists the group with its state, protocol type and member count', async () => {
    const listed = await groups('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout.trim().split('\n')[0]!.split(/\s+/)).toEqual(['GROUP', 'STATE', 'PROTOCOL-TYPE', 'MEMBERS']);
    expect(tableRows(listed.stdout, 'GROUP')).toContainEqual([GROUP, 'Stable', 'consumer', '1']);
  }, CLI_TEST_TIMEOUT_MS);

  it('refuses to delete a group that has active members', async () => {
    expect(failureLine(await groups('delete', '--group', GROUP))).toBe(`barista: consumer group '${GROUP}' has active members: stop its consumers before deleting it`);
  }, CLI_TEST_TIMEOUT_MS);

  it('describes an empty group with its offsets and no owners, then deletes it and its offsets', async () => {
    await consumer?.disconnect();
    consumer = undefined;
    await until('the group to be empty', async () => (await groups('describe', '--group', GROUP)).stdout.includes('State: Empty'), 60_000);
    const described = await groups('describe', '--group', GROUP);
    expect(tableRows(described.stdout, 'GROUP')).toEqual([
      [GROUP, TOPIC, '0', '3', '5', '2', '-', '-', '-'],
      [GROUP, TOPIC, '1', '3', '5', '2', '-', '-', '-'],
    ]);

    const deleted = await groups('delete', '--group', GROUP);
    expect(deleted.stderr).toBe('');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe(`Deleted consumer group ${GROUP}.\n`);
    expect(failureLine(await groups('describe', '--group', GROUP))).toBe(`barista: consumer group '${GROUP}' does not exist`);
    expect(tableRows((await groups('list')).stdout, 'GROUP').map((row) => row[0])).not.toContain(GROUP);
  }, CLI_TEST_TIMEOUT_MS);

  it('fails on a group that does not exist', async () => {
    expect(failureLine(await groups('describe', '--group', 'nobody'))).toBe("barista: consumer group 'nobody' does not exist");
    expect(failureLine(await groups('delete', '--group', 'nobody'))).toBe("barista: consumer group 'nobody' does not exist");
  }, CLI_TEST_TIMEOUT_MS);
});
