/**
 * The Kafka-protocol broker under mutated requests: valid requests of many APIs and versions
 * (encoded by the broker's own codecs, bodies from the codec round-trip arbitraries), mutated,
 * each sent on its own connection. Every mutant is answered or its connection closed within the
 * reply wait — silence is allowed only where Kafka allows it (acks=0, a long-poll Fetch, a group
 * join waiting for its rebalance) — the broker still answers ApiVersions after each batch, and its
 * heap stays bounded.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Broker } from '../../core/log/broker/broker.js';
import { adminArbitraries } from '../../core/log/protocol/admin-arbitraries.js';
import { groupArbitraries } from '../../core/log/protocol/group-arbitraries.js';
import { saslArbitraries } from '../../core/log/protocol/sasl-arbitraries.js';
import { ApiKey, codecFor, decodeRequestHeader, KafkaReader, KafkaWriter, SUPPORTED_API_VERSIONS, encodeRequestHeader, type SupportedApiKey } from '../../core/log/protocol/index.js';
import { decodeRequest } from '../../core/log/protocol/index.js';
import { batchOf } from '../../core/log/storage/test-batches.js';
import { framed, fuzzSeed, Mutator } from './mutate.js';
import { MAX_HEAP_GROWTH_BYTES, memoryAfterGc, OutcomeTally, RawConnection, REPLY_WAIT_MS, type Outcome, claimTwoGigabytes, MAX_HUGE_CLAIM_RSS_GROWTH_BYTES } from './raw-connection.js';

const MUTANTS = 8_000;
const BATCH = 50;
const BODIES_PER_API_VERSION = 2;
/** A mutated Fetch may ask to wait this long or longer; then silence within the reply wait is Kafka's long poll. */
const LONG_POLL_MS = REPLY_WAIT_MS / 2;

function encodeRequest(apiKey: SupportedApiKey, apiVersion: number, correlationId: number, body: unknown): Buffer {
  const writer = new KafkaWriter();
  encodeRequestHeader(writer, { apiKey, apiVersion, correlationId, clientId: 'fuzz' });
  codecFor(apiKey, apiVersion).encodeRequest(writer, body as never);
  return writer.toBuffer();
}

function versionsOf(apiKey: SupportedApiKey): number[] {
  const range = SUPPORTED_API_VERSIONS.get(apiKey)!;
  return Array.from({ length: range.max - range.min + 1 }, (_, index) => range.min + index);
}

/** Valid requests: realistic ones for the data path, arbitrary ones for group, admin and SASL APIs. */
function validRequests(seed: number): Buffer[] {
  const handwritten: Array<[SupportedApiKey, unknown]> = [
    [ApiKey.ApiVersions, { clientSoftwareName: 'fuzz', clientSoftwareVersion: '1.0' }],
    [ApiKey.Metadata, { topics: ['victim'], allowAutoTopicCreation: false }],
    [ApiKey.Produce, { transactionalId: null, acks: 1, timeoutMs: 1_000, topics: [{ name: 'victim', partitions: [{ partitionIndex: 0, records: batchOf(['fuzzed', 'value']) }] }] }],
    [ApiKey.Fetch, { replicaId: -1, maxWaitMs: 10, minBytes: 1, maxBytes: 1 << 20, isolationLevel: 0, sessionId: 0, sessionEpoch: -1, topics: [{ name: 'victim', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, fetchOffset: 0n, logStartOffset: -1n, partitionMaxBytes: 1 << 20 }] }], forgottenTopics: [], rackId: '' }],
    [ApiKey.ListOffsets, { replicaId: -1, isolationLevel: 0, topics: [{ name: 'victim', partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: -1n, maxNumOffsets: 1 }] }] }],
    [ApiKey.CreateTopics, { topics: [{ name: 'fuzz-created', numPartitions: 2, replicationFactor: 1, assignments: [], configs: [{ name: 'retention.ms', value: '60000' }] }], timeoutMs: 1_000, validateOnly: true }],
    [ApiKey.DeleteTopics, { topicNames: ['no-such-topic'], timeoutMs: 1_000 }],
  ];
  const requests: Buffer[] = [];
  for (const [apiKey, body] of handwritten) {
    for (const version of versionsOf(apiKey)) requests.push(encodeRequest(apiKey, version, requests.length, body));
  }
  const arbitraries = { ...groupArbitraries, ...adminArbitraries, ...saslArbitraries } as Record<number, { request: fc.Arbitrary<unknown> }>;
  for (const [key, { request }] of Object.entries(arbitraries)) {
    const apiKey = Number(key) as SupportedApiKey;
    for (const version of versionsOf(apiKey)) {
      for (const body of fc.sample(request, { seed: seed + requests.length, numRuns: BODIES_PER_API_VERSION })) requests.push(encodeRequest(apiKey, version, requests.length, body));
    }
  }
  return requests;
}

/** Whether Kafka lets the broker leave `payload` unanswered for a while (or for ever). */
function maySilence(payload: Buffer): boolean {
  try {
    const reader = new KafkaReader(payload);
    const header = decodeRequestHeader(reader);
    const request = decodeRequest(header.apiKey, header.apiVersion, reader);
    if (request.apiKey === ApiKey.Produce) return request.body.acks === 0;
    if (request.apiKey === ApiKey.Fetch) return request.body.maxWaitMs >= LONG_POLL_MS;
    return request.apiKey === ApiKey.JoinGroup || request.apiKey === ApiKey.SyncGroup;
  } catch {
    return false;
  }
}

describe('Kafka broker under mutated requests', () => {
  const seed = fuzzSeed('kafka');
  let dir: string;
  let broker: Broker;
  let port: number;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'fuzz-kafka-'));
    broker = await Broker.start({ dataDir: dir });
    port = broker.address().port;
    const setup = await RawConnection.open(port);
    const created = await setup.exchange(framed(encodeRequest(ApiKey.CreateTopics, 2, 1, { topics: [{ name: 'victim', numPartitions: 1, replicationFactor: 1, assignments: [], configs: [] }], timeoutMs: 5_000, validateOnly: false })));
    expect(created.kind).toBe('answered');
    setup.destroy();
  });
  afterAll(async () => {
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function answersApiVersions(): Promise<void> {
    const connection = await RawConnection.open(port);
    const outcome = await connection.exchange(framed(encodeRequest(ApiKey.ApiVersions, 3, 77, { clientSoftwareName: 'probe', clientSoftwareVersion: '1' })));
    connection.destroy();
    expect(outcome.kind).toBe('answered');
    expect(outcome.reply.readInt32BE(4)).toBe(77);
  }

  it('answers or closes on every mutant, keeps answering ApiVersions, and keeps its memory', async () => {
    const mutator = new Mutator(seed);
    const valid = validRequests(seed);
    const tally = new OutcomeTally();
    const hangs: string[] = [];
    const before = memoryAfterGc();
    for (let start = 0; start < MUTANTS; start += BATCH) {
      const payloads = Array.from({ length: Math.min(BATCH, MUTANTS - start) }, () => mutator.mutate(mutator.pick(valid)).bytes);
      await Promise.all(payloads.map(async (payload) => {
        const connection = await RawConnection.open(port);
        const outcome: Outcome = await connection.exchange(framed(payload));
        connection.destroy();
        tally.add(outcome, payload);
        if (outcome.kind === 'silent' && !maySilence(payload)) hangs.push(payload.toString('hex'));
      }));
      await answersApiVersions();
    }
    const after = memoryAfterGc();
    process.stdout.write(`${tally.summary('kafka')} (${valid.length} valid requests mutated); heap ${((after.heapUsedBytes - before.heapUsedBytes) / 1e6).toFixed(1)} MB\n`);
    expect(hangs).toEqual([]);
    expect(after.heapUsedBytes - before.heapUsedBytes).toBeLessThan(MAX_HEAP_GROWTH_BYTES);
  }, 90_000);

  it('refuses a request claiming 2 GB without reserving it', async () => {
    const claim = await claimTwoGigabytes(await RawConnection.open(port));
    expect(claim.outcome).toBe('closed');
    expect(claim.rssGrowthBytes).toBeLessThan(MAX_HUGE_CLAIM_RSS_GROWTH_BYTES);
    await answersApiVersions();
  });

  it('answers a request written one byte at a time', async () => {
    const connection = await RawConnection.open(port);
    await connection.writeByteByByte(framed(encodeRequest(ApiKey.Metadata, 1, 5, { topics: ['victim'], allowAutoTopicCreation: false })));
    const outcome = await connection.next();
    connection.destroy();
    expect(outcome.kind).toBe('answered');
    expect(outcome.reply.readInt32BE(4)).toBe(5);
  });

  it('forgets a partial request whose sender hung up', async () => {
    const connection = await RawConnection.open(port);
    connection.write(framed(encodeRequest(ApiKey.Metadata, 1, 6, { topics: ['victim'], allowAutoTopicCreation: false })).subarray(0, 9));
    connection.destroy();
    await answersApiVersions();
  });
});
