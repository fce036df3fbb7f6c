/**
 * `barista topics` against a real `barista broker` process: create, list, describe and delete
 * through the Kafka protocol, the errors a user meets (existing or absent topic, bad partition
 * count or replication factor, no broker, wrong SASL password) as one line on stderr and a
 * non-zero exit, and SASL authentication.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBarista } from '../../test/support/barista.js';
import { failureLine } from '../../test/support/cli-output.js';
import { startBroker } from '../../test/support/log-brokers.js';
import { freePort } from '../../test/support/ports.js';
import type { ManagedProcess } from '../../test/support/processes.js';
import { until } from '../../test/support/until.js';

/** The bound on "broker unreachable": a few seconds, asserted generously (it includes the CLI's own start-up). */
const UNREACHABLE_FAILS_WITHIN_MS = 15_000;
/** For polls that run the CLI each time. */
const CLI_POLL_TIMEOUT_MS = 60_000;
/** Each test runs several CLI processes, each a second or more to start on a loaded machine. */
const CLI_TEST_TIMEOUT_MS = 120_000;

let workDir: string;

/** Rows of the aligned table that follows a "Topic: …" summary line, split on runs of spaces. */
function partitionRows(stdout: string): string[][] {
  return stdout
    .trim()
    .split('\n')
    .filter((line) => !line.startsWith('Topic:') && !line.startsWith('TOPIC') && line !== '')
    .map((line) => line.trim().split(/\s+/));
}

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'barista-topics-cli-'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

describe('barista topics', () => {
  let broker: ManagedProcess;
  let bootstrap: string;
  const topics = (...args: string[]) => runBarista(['topics', '--bootstrap-server', bootstrap, ...args]);

  beforeAll(async () => {
    ({ process: broker, bootstrap } = await startBroker({ name: 'broker', dataDir: join(workDir, 'broker') }));
  }, 30_000);

  afterAll(async () => {
    await broker?.stop();
  });

  it('creates a topic that list and describe then show with its partitions, leader, replicas, ISR and configs', async () => {
    const created = await topics('create', '--topic', 'orders', '--partitions', '3', '--replication-factor', '1', '--config', 'cleanup.policy=compact');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toBe('Created topic orders.\n');

    const listed = await topics('list');
    expect(listed.code).toBe(0);
    expect(listed.stdout.trim().split('\n')).toContain('orders');

    const described = await topics('describe', '--topic', 'orders');
    expect(described.code).toBe(0);
    expect(described.stdout).toMatch(/^Topic: orders {2}PartitionCount: 3 {2}ReplicationFactor: 1 {2}Configs: cleanup\.policy=compact$/m);
    expect(described.stdout).toMatch(/^TOPIC {3}PARTITION {2}LEADER {2}REPLICAS {2}ISR$/m);
    expect(partitionRows(described.stdout)).toEqual([
      ['orders', '0', '1', '1', '1'],
      ['orders', '1', '1', '1', '1'],
      ['orders', '2', '1', '1', '1'],
    ]);
  }, CLI_TEST_TIMEOUT_MS);

  it('takes the connection flags after the subcommand too, and describes every topic without --topic', async () => {
    expect((await runBarista(['topics', 'create', '--topic', 'payments', '--partitions', '2', '--replication-factor', '1', '--bootstrap-server', bootstrap])).code).toBe(0);
    const described = await runBarista(['topics', 'describe', '--bootstrap-server', bootstrap]);
    expect(described.code).toBe(0);
    const rows = partitionRows(described.stdout);
    expect(rows).toContainEqual(['payments', '0', '1', '1', '1']);
    expect(rows).toContainEqual(['payments', '1', '1', '1', '1']);
    expect(described.stdout).toMatch(/^Topic: payments {2}PartitionCount: 2 {2}ReplicationFactor: 1 {2}Configs:$/m);
  }, CLI_TEST_TIMEOUT_MS);

  it('refuses to create a topic that exists, unless --if-not-exists', async () => {
    expect((await topics('create', '--topic', 'twice', '--partitions', '1', '--replication-factor', '1')).code).toBe(0);
    const again = await topics('create', '--topic', 'twice', '--partitions', '1', '--replication-factor', '1');
    expect(failureLine(again)).toBe("barista: topic 'twice' already exists (pass --if-not-exists to accept that)");
    const tolerated = await topics('create', '--topic', 'twice', '--partitions', '1', '--replication-factor', '1', '--if-not-exists');
    expect(tolerated.code).toBe(0);
    expect(tolerated.stdout).toBe('Topic twice already exists.\n');
  }, CLI_TEST_TIMEOUT_MS);

  it('refuses zero partitions before asking, and a replication factor larger than the cluster with the broker\'s reason', async () => {
    const zero = await topics('create', '--topic', 'bad', '--partitions', '0', '--replication-factor', '1');
    expect(zero.code).not.toBe(0);
    expect(zero.stderr).toMatch(/option '--partitions <n>' argument '0' is invalid\. expected a positive integer, got "0"/);
    const tooMany = await topics('create', '--topic', 'bad', '--partitions', '1', '--replication-factor', '3');
    expect(failureLine(tooMany)).toMatch(/^barista: cannot create topic 'bad': INVALID_REPLICATION_FACTOR \(/);
    expect((await topics('list')).stdout.split('\n')).not.toContain('bad');
  }, CLI_TEST_TIMEOUT_MS);

  it('deletes a topic so that list no longer shows it; an absent topic fails unless --if-exists', async () => {
    expect((await topics('create', '--topic', 'doomed', '--partitions', '2', '--replication-factor', '1')).code).toBe(0);
    const deleted = await topics('delete', '--topic', 'doomed');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toBe('Deleted topic doomed.\n');
    await until('the deleted topic to leave the list', async () => !(await topics('list')).stdout.split('\n').includes('doomed'), CLI_POLL_TIMEOUT_MS);

    expect(failureLine(await topics('delete', '--topic', 'doomed'))).toBe("barista: topic 'doomed' does not exist (pass --if-exists to accept that)");
    const tolerated = await topics('delete', '--topic', 'doomed', '--if-exists');
    expect(tolerated.code).toBe(0);
    expect(tolerated.stdout).toBe('Topic doomed does not exist.\n');
  }, CLI_TEST_TIMEOUT_MS);

  it('fails to describe a topic that does not exist, without creating it', async () => {
    expect(failureLine(await topics('describe', '--topic', 'ghost'))).toBe("barista: topic 'ghost' does not exist");
    expect((await topics('list')).stdout.split('\n')).not.toContain('ghost');
  }, CLI_TEST_TIMEOUT_MS);

  it('lists internal topics unless --exclude-internal', async () => {
    // A consumer group's commit creates __consumer_offsets; asking for a coordinator is enough.
    await runBarista(['groups', '--bootstrap-server', bootstrap, 'delete', '--group', 'nobody']);
    await until('__consumer_offsets to exist', async () => (await topics('list')).stdout.split('\n').includes('__consumer_offsets'), CLI_POLL_TIMEOUT_MS);
    const external = await topics('list', '--exclude-internal');
    expect(external.code).toBe(0);
    expect(external.stdout.split('\n')).not.toContain('__consumer_offsets');
    expect(external.stdout.split('\n')).toContain('orders');
  }, CLI_TEST_TIMEOUT_MS);
});

describe('barista topics without a broker', () => {
  it('fails within a few seconds with one line naming the address', async () => {
    const port = await freePort();
    const startedAt = Date.now();
    const result = await runBarista(['topics', '--bootstrap-server', `127.0.0.1:${port}`, 'list']);
    expect(Date.now() - startedAt).toBeLessThan(UNREACHABLE_FAILS_WITHIN_MS);
    expect(failureLine(result)).toMatch(new RegExp(`^barista: cannot reach a broker at 127\\.0\\.0\\.1:${port} \\(.*ECONNREFUSED.*\\); is it running\\?`));
  }, CLI_TEST_TIMEOUT_MS);

  it('rejects a malformed --bootstrap-server and SASL credentials without a mechanism', async () => {
    expect(failureLine(await runBarista(['topics', '--bootstrap-server', 'localhost', 'list']))).toBe('barista: --bootstrap-server expects host:port[,host:port...], got "localhost"');
    expect(failureLine(await runBarista(['topics', '--user', 'alice', '--password', 'x', 'list']))).toBe('barista: --user and --password need --sasl-mechanism plain|scram-sha-256|scram-sha-512');
  }, CLI_TEST_TIMEOUT_MS);
});

describe('barista topics with SASL', () => {
  let broker: ManagedProcess;
  let bootstrap: string;

  beforeAll(async () => {
    const users = join(workDir, 'users.json');
    await writeFile(users, JSON.stringify({ admin: { plain: 'admin-secret', scram: { sha512: 'admin-secret' } } }));
    ({ process: broker, bootstrap } = await startBroker({ name: 'secured-broker', dataDir: join(workDir, 'secured-broker'), extraArgs: ['--sasl-users', users, '--super-users', 'admin'] }));
  }, 30_000);

  afterAll(async () => {
    await broker?.stop();
  });

  it.each(['plain', 'scram-sha-512'])('authenticates with %s and creates and lists a topic', async (mechanism) => {
    const sasl = ['--sasl-mechanism', mechanism, '--user', 'admin', '--password', 'admin-secret'];
    const topic = `secured-${mechanism}`;
    const created = await runBarista(['topics', '--bootstrap-server', bootstrap, ...sasl, 'create', '--topic', topic, '--partitions', '1', '--replication-factor', '1']);
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect((await runBarista(['topics', '--bootstrap-server', bootstrap, ...sasl, 'list'])).stdout.split('\n')).toContain(topic);
  }, CLI_TEST_TIMEOUT_MS);

  it('fails with one line on a wrong password', async () => {
    const result = await runBarista(['topics', '--bootstrap-server', bootstrap, '--sasl-mechanism', 'scram-sha-512', '--user', 'admin', '--password', 'wrong', 'list']);
    expect(failureLine(result)).toMatch(new RegExp(`^barista: SASL authentication with ${bootstrap} failed: .*; check --sasl-mechanism, --user and --password$`));
  }, CLI_TEST_TIMEOUT_MS);
});
