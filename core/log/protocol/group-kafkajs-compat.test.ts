/**
 * Cross-check of the group coordinator codecs against kafkajs 2.2.4's own protocol modules: for
 * every version kafkajs has within our ranges, its request decodes to the fields it meant, and
 * our response parses in kafkajs to the values we meant.
 */
import { describe, expect, it } from '@jest/globals';
import { createRequire } from 'node:module';
import { ApiKey } from './api-keys.js';
import { decodeRequest, encodeResponse } from './index.js';
import { KafkaReader } from './primitives/reader.js';

const require = createRequire(import.meta.url);

interface KafkajsRequest {
  apiKey: number;
  apiVersion: number;
  encode: () => Promise<{ buffer: Buffer }>;
}
type KafkajsModule = { request: (args: object) => KafkajsRequest; response: { decode: (data: Buffer) => Promise<Record<string, unknown>>; parse: (data: unknown) => Promise<Record<string, unknown>> } };

function kafkajs(api: string, version: number): KafkajsModule {
  const base = `kafkajs/src/protocol/requests/${api}/v${version}`;
  return { request: require(`${base}/request`), response: require(`${base}/response`) };
}

async function decoded(module: KafkajsModule, args: object) {
  const request = module.request(args);
  return decodeRequest(request.apiKey, request.apiVersion, new KafkaReader((await request.encode()).buffer));
}

const parse = async (module: KafkajsModule, body: Buffer) => module.response.parse(await module.response.decode(body));
const versions = (min: number, max: number) => Array.from({ length: max - min + 1 }, (_, index) => min + index);

describe('kafkajs compatibility: group coordinator APIs', () => {
  it.each(versions(0, 2))('FindCoordinator v%i', async (version) => {
    const module = kafkajs('findCoordinator', version);
    const request = await decoded(module, { groupId: 'g', coordinatorKey: 'g', coordinatorType: 0 });
    expect(request.body).toEqual({ key: 'g', keyType: 0 });
    const parsed = await parse(module, encodeResponse(ApiKey.FindCoordinator, version, { throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 3, host: 'h', port: 9 }));
    expect(parsed.coordinator).toEqual({ nodeId: 3, host: 'h', port: 9 });
  });

  it.each(versions(0, 5))('JoinGroup v%i', async (version) => {
    const module = kafkajs('joinGroup', version);
    const request = await decoded(module, { groupId: 'g', sessionTimeout: 6000, rebalanceTimeout: 9000, memberId: 'm', protocolType: 'consumer', groupProtocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from('meta') }] });
    expect(request.body).toEqual({ groupId: 'g', sessionTimeoutMs: 6000, rebalanceTimeoutMs: version >= 1 ? 9000 : 6000, memberId: 'm', groupInstanceId: null, protocolType: 'consumer', protocols: [{ name: 'RoundRobinAssigner', metadata: Buffer.from('meta') }] });
    const parsed = await parse(module, encodeResponse(ApiKey.JoinGroup, version, { throttleTimeMs: 0, errorCode: 0, generationId: 4, protocolName: 'RoundRobinAssigner', leader: 'm', memberId: 'm', members: [{ memberId: 'm', groupInstanceId: null, metadata: Buffer.from('meta') }] }));
    expect(parsed).toMatchObject({ generationId: 4, groupProtocol: 'RoundRobinAssigner', leaderId: 'm', memberId: 'm', members: [{ memberId: 'm', memberMetadata: Buffer.from('meta') }] });
  });

  it.each(versions(0, 3))('SyncGroup v%i', async (version) => {
    const module = kafkajs('syncGroup', version);
    const request = await decoded(module, { groupId: 'g', generationId: 2, memberId: 'm', groupAssignment: [{ memberId: 'm', memberAssignment: Buffer.from('a') }] });
    expect(request.body).toEqual({ groupId: 'g', generationId: 2, memberId: 'm', groupInstanceId: null, assignments: [{ memberId: 'm', assignment: Buffer.from('a') }] });
    const parsed = await parse(module, encodeResponse(ApiKey.SyncGroup, version, { throttleTimeMs: 0, errorCode: 0, assignment: Buffer.from('a') }));
    expect(parsed.memberAssignment).toEqual(Buffer.from('a'));
  });

  it.each(versions(0, 3))('Heartbeat v%i', async (version) => {
    const module = kafkajs('heartbeat', version);
    const request = await decoded(module, { groupId: 'g', groupGenerationId: 2, memberId: 'm' });
    expect(request.body).toEqual({ groupId: 'g', generationId: 2, memberId: 'm', groupInstanceId: null });
    await expect(parse(module, encodeResponse(ApiKey.Heartbeat, version, { throttleTimeMs: 0, errorCode: 27 }))).rejects.toMatchObject({ type: 'REBALANCE_IN_PROGRESS' });
  });

  it.each(versions(0, 3))('LeaveGroup v%i', async (version) => {
    const module = kafkajs('leaveGroup', version);
    const request = await decoded(module, { groupId: 'g', memberId: 'm', members: [{ memberId: 'm' }] });
    expect(request.body).toEqual({ groupId: 'g', members: [{ memberId: 'm', groupInstanceId: null }] });
    const parsed = await parse(module, encodeResponse(ApiKey.LeaveGroup, version, { throttleTimeMs: 0, errorCode: 0, members: [{ memberId: 'm', groupInstanceId: null, errorCode: 0 }] }));
    expect(parsed.errorCode).toBe(0);
  });

  it.each(versions(0, 5))('OffsetCommit v%i', async (version) => {
    const module = kafkajs('offsetCommit', version);
    const request = await decoded(module, { groupId: 'g', groupGenerationId: 2, memberId: 'm', retentionTime: 1000, topics: [{ topic: 't', partitions: [{ partition: 1, offset: '42', timestamp: 7 }] }] });
    expect(request.body).toMatchObject({ groupId: 'g', generationId: version >= 1 ? 2 : -1, memberId: version >= 1 ? 'm' : '', retentionTimeMs: version >= 2 && version <= 4 ? 1000n : -1n });
    expect(request.body).toMatchObject({ topics: [{ name: 't', partitions: [{ partitionIndex: 1, committedOffset: 42n, commitTimestampMs: version === 1 ? 7n : -1n, committedMetadata: null }] }] });
    const parsed = await parse(module, encodeResponse(ApiKey.OffsetCommit, version, { throttleTimeMs: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 1, errorCode: 0 }] }] }));
    expect(parsed.responses).toEqual([{ topic: 't', partitions: [{ partition: 1, errorCode: 0 }] }]);
  });

  it.each(versions(1, 4))('OffsetFetch v%i', async (version) => {
    const module = kafkajs('offsetFetch', version);
    const request = await decoded(module, { groupId: 'g', topics: [{ topic: 't', partitions: [{ partition: 1 }] }] });
    expect(request.body).toEqual({ groupId: 'g', topics: [{ name: 't', partitionIndexes: [1] }] });
    const parsed = await parse(module, encodeResponse(ApiKey.OffsetFetch, version, { throttleTimeMs: 0, errorCode: 0, topics: [{ name: 't', partitions: [{ partitionIndex: 1, committedOffset: 42n, committedLeaderEpoch: -1, metadata: '', errorCode: 0 }] }] }));
    expect(parsed.responses).toEqual([{ topic: 't', partitions: [expect.objectContaining({ partition: 1, offset: '42' })] }]);
  });

  it.each(versions(0, 2))('ListGroups v%i', async (version) => {
    const module = kafkajs('listGroups', version);
    expect((await decoded(module, {})).body).toEqual({});
    const parsed = await parse(module, encodeResponse(ApiKey.ListGroups, version, { throttleTimeMs: 0, errorCode: 0, groups: [{ groupId: 'g', protocolType: 'consumer' }] }));
    expect(parsed.groups).toEqual([{ groupId: 'g', protocolType: 'consumer' }]);
  });

  it.each(versions(0, 2))('DescribeGroups v%i', async (version) => {
    const module = kafkajs('describeGroups', version);
    expect((await decoded(module, { groupIds: ['g'] })).body).toEqual({ groups: ['g'], includeAuthorizedOperations: false });
    const member = { memberId: 'm', groupInstanceId: null, clientId: 'c', clientHost: '/h', memberMetadata: Buffer.from('x'), memberAssignment: Buffer.from('y') };
    const parsed = await parse(module, encodeResponse(ApiKey.DescribeGroups, version, { throttleTimeMs: 0, groups: [{ errorCode: 0, groupId: 'g', groupState: 'Stable', protocolType: 'consumer', protocolData: 'range', members: [member], authorizedOperations: 0 }] }));
    expect(parsed.groups).toEqual([expect.objectContaining({ groupId: 'g', state: 'Stable', protocol: 'range', members: [expect.objectContaining({ memberId: 'm', clientId: 'c', memberAssignment: Buffer.from('y') })] })]);
  });
});
