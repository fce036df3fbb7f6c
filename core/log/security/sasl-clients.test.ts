/**
 * Real clients against a broker with security on: kafkajs with PLAIN, SCRAM-SHA-256 and
 * SCRAM-SHA-512 produces and consumes; a wrong password is an authentication error; a principal
 * without WRITE gets TOPIC_AUTHORIZATION_FAILED; kcat with SASL_PLAINTEXT PLAIN and SCRAM.
 */
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { describeWithTools, TOOLS , runTool } from '../../../test/support/tools.js';
import { Broker } from '../broker/broker.js';
import type { SecurityOptions } from './config.js';

const SECURITY: SecurityOptions = {
  users: {
    admin: { plain: 'admin-secret' },
    alice: { plain: 'alice-secret', scram: { sha256: 'alice-secret', sha512: 'alice-secret' } },
    reader: { plain: 'reader-secret', scram: { sha256: 'reader-secret' } },
  },
  acls: [
    { principal: 'User:alice', resourceType: 'topic', name: 'secure-', patternType: 'prefixed', operations: ['read', 'write', 'create', 'describe'] },
    { principal: 'User:alice', resourceType: 'group', name: '*', operations: ['read'] },
    { principal: 'User:reader', resourceType: 'topic', name: 'secure-', patternType: 'prefixed', operations: ['read'] },
    { principal: 'User:reader', resourceType: 'group', name: '*', operations: ['read'] },
  ],
  superUsers: ['admin'],
};

const kcat = (args: string[], input?: string) => runTool(TOOLS.kcat, args, input);

describeWithTools([TOOLS.kcat], 'SASL and ACLs with kafkajs and kcat', () => {
  let dir: string;
  let broker: Broker;
  let bootstrap: string;
  const kafka = (sasl: SASLOptions) => new Kafka({ clientId: 'sasl-test', brokers: [bootstrap], sasl, logLevel: logLevel.NOTHING, retry: { retries: 2, initialRetryTime: 50 } });

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'broker-sasl-'));
    broker = await Broker.start({ dataDir: dir, autoCreateTopics: false, security: SECURITY });
    bootstrap = `127.0.0.1:${broker.address().port}`;
    const admin = kafka({ mechanism: 'plain', username: 'admin', password: 'admin-secret' }).admin();
    await admin.connect();
    await admin.createTopics({ topics: ['secure-plain', 'secure-scram-sha-256', 'secure-scram-sha-512', 'secure-kcat', 'other'].map((topic) => ({ topic, numPartitions: 1 })) });
    await admin.disconnect();
  });
  afterAll(async () => {
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('kafkajs with %s produces and consumes', async (mechanism) => {
    const client = kafka({ mechanism, username: 'alice', password: 'alice-secret' } as SASLOptions);
    const topic = `secure-${mechanism}`;
    const producer = client.producer();
    await producer.connect();
    await producer.send({ topic, messages: [{ value: 'one' }, { value: 'two' }] });
    await producer.disconnect();
    const consumer = client.consumer({ groupId: `group-${mechanism}` });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const values: string[] = [];
    await new Promise<void>((resolve) => {
      void consumer.run({
        eachMessage: async ({ message }) => {
          values.push(message.value?.toString() ?? '');
          if (values.length === 2) resolve();
        },
      });
    });
    await consumer.disconnect();
    expect(values).toEqual(['one', 'two']);
  });

  it.each(['plain', 'scram-sha-256', 'scram-sha-512'] as const)('kafkajs with %s and a wrong password gets an authentication error', async (mechanism) => {
    const producer = kafka({ mechanism, username: 'alice', password: 'wrong' } as SASLOptions).producer();
    await expect(producer.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
  });

  it('a principal without WRITE gets TOPIC_AUTHORIZATION_FAILED; an unauthorized topic is hidden', async () => {
    const client = kafka({ mechanism: 'scram-sha-256', username: 'reader', password: 'reader-secret' });
    const producer = client.producer();
    await producer.connect();
    await expect(producer.send({ topic: 'secure-plain', messages: [{ value: 'nope' }] })).rejects.toMatchObject({ type: 'TOPIC_AUTHORIZATION_FAILED' });
    await producer.disconnect();
    const admin = client.admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics).toContain('secure-plain');
    expect(topics).not.toContain('other');
  });

  it.each(['PLAIN', 'SCRAM-SHA-256'])('kcat with SASL_PLAINTEXT %s produces and consumes; a wrong password fails', async (mechanism) => {
    const auth = (password: string) => ['-X', 'security.protocol=SASL_PLAINTEXT', '-X', `sasl.mechanisms=${mechanism}`, '-X', 'sasl.username=alice', '-X', `sasl.password=${password}`];
    const topic = 'secure-kcat';
    const produced = await kcat(['-b', bootstrap, ...auth('alice-secret'), '-P', '-t', topic, '-p', '0'], `${mechanism}-a\n${mechanism}-b\n`);
    expect(produced).toMatchObject({ status: 0, stderr: '' });
    const consumed = await kcat(['-b', bootstrap, ...auth('alice-secret'), '-C', '-t', topic, '-o', 'beginning', '-e', '-q']);
    expect(consumed.stdout.split('\n')).toEqual(expect.arrayContaining([`${mechanism}-a`, `${mechanism}-b`]));
    const refused = await kcat(['-b', bootstrap, ...auth('wrong'), '-L', '-m', '3']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/[Aa]uthentication/);
  });
});
