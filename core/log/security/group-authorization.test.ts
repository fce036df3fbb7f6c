/**
 * ACLs on the group coordinator's APIs: a principal without READ on a group cannot find its
 * coordinator, join it, heartbeat, sync or leave as one of its members (so it cannot force a
 * rebalance on the real members), and sees neither the group in ListGroups nor its members in
 * DescribeGroups. Driven over SASL connections with our own codecs.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaConnection } from '../client/kafka-connection.js';
import { ApiKey, ErrorCode, type JoinGroupRequest } from '../protocol/index.js';
import { Broker } from '../broker/broker.js';
import type { SecurityOptions } from './config.js';

const SECURITY: SecurityOptions = {
  users: { admin: { plain: 'admin-secret' }, alice: { plain: 'alice-secret' }, carol: { plain: 'carol-secret' } },
  superUsers: ['admin'],
  acls: [
    { principal: 'User:alice', resourceType: 'group', name: 'alice-group', operations: ['read'] },
    // carol may use topics, but no group at all.
    { principal: 'User:carol', resourceType: 'topic', name: '*', operations: ['all'] },
  ],
};

let dataDir: string;
let broker: Broker;
const connections: KafkaConnection[] = [];
const as = (username: 'admin' | 'alice' | 'carol'): KafkaConnection => {
  const connection = new KafkaConnection({ host: '127.0.0.1', port: broker.address().port }, `group-acl-${username}`, { sasl: { username, password: `${username}-secret` } });
  connections.push(connection);
  return connection;
};
let admin: KafkaConnection;
let alice: KafkaConnection;
let carol: KafkaConnection;
let aliceMemberId: string;

const joinRequest = (groupId: string, memberId: string): JoinGroupRequest => ({
  groupId, sessionTimeoutMs: 30_000, rebalanceTimeoutMs: 30_000, memberId, groupInstanceId: null, protocolType: 'consumer',
  protocols: [{ name: 'range', metadata: Buffer.from('subscription') }],
});

/** Joins `groupId` as its only member and syncs generation 1. */
async function joinAndSync(connection: KafkaConnection, groupId: string): Promise<string> {
  const first = await connection.request(ApiKey.JoinGroup, 5, joinRequest(groupId, ''));
  expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
  const joined = await connection.request(ApiKey.JoinGroup, 5, joinRequest(groupId, first.memberId));
  expect(joined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1 });
  const synced = await connection.request(ApiKey.SyncGroup, 3, { groupId, generationId: 1, memberId: first.memberId, groupInstanceId: null, assignments: [{ memberId: first.memberId, assignment: Buffer.from('all') }] });
  expect(synced.errorCode).toBe(ErrorCode.NONE);
  return first.memberId;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'barista-group-acl-'));
  broker = await Broker.start({ dataDir, security: SECURITY, groups: { initialRebalanceDelayMs: 0, offsetsTopicPartitions: 1 } });
  [admin, alice, carol] = [as('admin'), as('alice'), as('carol')];
  expect((await admin.request(ApiKey.FindCoordinator, 2, { key: 'other-group', keyType: 0 })).errorCode).toBe(ErrorCode.NONE);
  await joinAndSync(admin, 'other-group');
  aliceMemberId = await joinAndSync(alice, 'alice-group');
}, 30_000);

afterAll(async () => {
  for (const connection of connections) await connection.close();
  await broker.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function aliceGroupAsAdmin(): Promise<{ state: string; members: string[] }> {
  const described = await admin.request(ApiKey.DescribeGroups, 4, { groups: ['alice-group'], includeAuthorizedOperations: false });
  return { state: described.groups[0]!.groupState, members: described.groups[0]!.members.map((member) => member.memberId) };
}

describe('group coordinator APIs without READ on the group', () => {
  it('FindCoordinator answers GROUP_AUTHORIZATION_FAILED to carol and the coordinator to alice', async () => {
    expect(await carol.request(ApiKey.FindCoordinator, 2, { key: 'alice-group', keyType: 0 })).toMatchObject({ errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, nodeId: -1 });
    expect(await alice.request(ApiKey.FindCoordinator, 2, { key: 'alice-group', keyType: 0 })).toMatchObject({ errorCode: ErrorCode.NONE, nodeId: broker.nodeId });
  });

  it('refuses carol\'s JoinGroup, SyncGroup, Heartbeat and LeaveGroup; alice\'s generation goes on undisturbed', async () => {
    expect((await carol.request(ApiKey.JoinGroup, 5, joinRequest('alice-group', ''))).errorCode).toBe(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    expect((await carol.request(ApiKey.JoinGroup, 5, joinRequest('alice-group', aliceMemberId))).errorCode).toBe(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    const impersonated = { groupId: 'alice-group', generationId: 1, memberId: aliceMemberId, groupInstanceId: null };
    expect((await carol.request(ApiKey.SyncGroup, 3, { ...impersonated, assignments: [{ memberId: aliceMemberId, assignment: Buffer.from('stolen') }] })).errorCode).toBe(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    expect((await carol.request(ApiKey.Heartbeat, 3, impersonated)).errorCode).toBe(ErrorCode.GROUP_AUTHORIZATION_FAILED);
    const left = await carol.request(ApiKey.LeaveGroup, 3, { groupId: 'alice-group', members: [{ memberId: aliceMemberId, groupInstanceId: null }] });
    expect([left.errorCode, ...left.members.map((member) => member.errorCode)]).toEqual([ErrorCode.GROUP_AUTHORIZATION_FAILED, ErrorCode.GROUP_AUTHORIZATION_FAILED]);
    // No rebalance was triggered (a heartbeat would say REBALANCE_IN_PROGRESS) and alice is still the member.
    expect((await alice.request(ApiKey.Heartbeat, 3, impersonated)).errorCode).toBe(ErrorCode.NONE);
    expect(await aliceGroupAsAdmin()).toEqual({ state: 'Stable', members: [aliceMemberId] });
  });

  it('DescribeGroups answers GROUP_AUTHORIZATION_FAILED without members to carol; alice (READ implies DESCRIBE) sees hers', async () => {
    const asCarol = await carol.request(ApiKey.DescribeGroups, 4, { groups: ['alice-group'], includeAuthorizedOperations: false });
    expect(asCarol.groups).toEqual([expect.objectContaining({ groupId: 'alice-group', errorCode: ErrorCode.GROUP_AUTHORIZATION_FAILED, members: [] })]);
    const asAlice = await alice.request(ApiKey.DescribeGroups, 4, { groups: ['alice-group', 'other-group'], includeAuthorizedOperations: false });
    expect(Object.fromEntries(asAlice.groups.map((group) => [group.groupId, [group.errorCode, group.members.length]]))).toEqual({ 'alice-group': [ErrorCode.NONE, 1], 'other-group': [ErrorCode.GROUP_AUTHORIZATION_FAILED, 0] });
  });

  it('ListGroups shows each principal only the groups it may describe (all of them with cluster DESCRIBE)', async () => {
    const listed = async (connection: KafkaConnection) => (await connection.request(ApiKey.ListGroups, 2, {})).groups.map((group) => group.groupId).sort();
    expect(await listed(carol)).toEqual([]);
    expect(await listed(alice)).toEqual(['alice-group']);
    expect(await listed(admin)).toEqual(['alice-group', 'other-group']);
  });
});
