/**
 * fast-check arbitraries for the group coordinator's request and response bodies, used by the
 * codec round-trip properties (codecs.test.ts). Test-only.
 */
import fc from 'fast-check';
import { ApiKey } from './api-keys.js';

const int8 = fc.integer({ min: -128, max: 127 });
const int16 = fc.integer({ min: -32768, max: 32767 });
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const name = fc.string({ maxLength: 12 });
const buffer = fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes));
const list = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 3 });
const nullable = <T>(item: fc.Arbitrary<T>) => fc.option(item, { nil: null });
const topicsOf = <T>(partition: fc.Arbitrary<T>) => list(fc.record({ name, partitions: list(partition) }));

export const groupArbitraries = {
  [ApiKey.FindCoordinator]: {
    request: fc.record({ key: name, keyType: int8 }),
    response: fc.record({ throttleTimeMs: int32, errorCode: int16, errorMessage: nullable(name), nodeId: int32, host: name, port: int32 }),
  },
  [ApiKey.JoinGroup]: {
    request: fc.record({
      groupId: name, sessionTimeoutMs: int32, rebalanceTimeoutMs: int32, memberId: name, groupInstanceId: nullable(name), protocolType: name,
      protocols: list(fc.record({ name, metadata: buffer })),
    }),
    response: fc.record({
      throttleTimeMs: int32, errorCode: int16, generationId: int32, protocolName: name, leader: name, memberId: name,
      members: list(fc.record({ memberId: name, groupInstanceId: nullable(name), metadata: buffer })),
    }),
  },
  [ApiKey.SyncGroup]: {
    request: fc.record({ groupId: name, generationId: int32, memberId: name, groupInstanceId: nullable(name), assignments: list(fc.record({ memberId: name, assignment: buffer })) }),
    response: fc.record({ throttleTimeMs: int32, errorCode: int16, assignment: buffer }),
  },
  [ApiKey.Heartbeat]: {
    request: fc.record({ groupId: name, generationId: int32, memberId: name, groupInstanceId: nullable(name) }),
    response: fc.record({ throttleTimeMs: int32, errorCode: int16 }),
  },
  [ApiKey.LeaveGroup]: {
    request: fc.record({ groupId: name, members: list(fc.record({ memberId: name, groupInstanceId: nullable(name) })) }),
    response: fc.record({ throttleTimeMs: int32, errorCode: int16, members: list(fc.record({ memberId: name, groupInstanceId: nullable(name), errorCode: int16 })) }),
  },
  [ApiKey.OffsetCommit]: {
    request: fc.record({
      groupId: name, generationId: int32, memberId: name, groupInstanceId: nullable(name), retentionTimeMs: int64,
      topics: topicsOf(fc.record({ partitionIndex: int32, committedOffset: int64, committedLeaderEpoch: int32, commitTimestampMs: int64, committedMetadata: nullable(name) })),
    }),
    response: fc.record({ throttleTimeMs: int32, topics: topicsOf(fc.record({ partitionIndex: int32, errorCode: int16 })) }),
  },
  [ApiKey.OffsetFetch]: {
    request: fc.record({ groupId: name, topics: nullable(list(fc.record({ name, partitionIndexes: list(int32) }))) }),
    response: fc.record({
      throttleTimeMs: int32, errorCode: int16,
      topics: topicsOf(fc.record({ partitionIndex: int32, committedOffset: int64, committedLeaderEpoch: int32, metadata: nullable(name), errorCode: int16 })),
    }),
  },
  [ApiKey.ListGroups]: {
    request: fc.constant({}),
    response: fc.record({ throttleTimeMs: int32, errorCode: int16, groups: list(fc.record({ groupId: name, protocolType: name })) }),
  },
  [ApiKey.DescribeGroups]: {
    request: fc.record({ groups: list(name), includeAuthorizedOperations: fc.boolean() }),
    response: fc.record({
      throttleTimeMs: int32,
      groups: list(fc.record({
        errorCode: int16, groupId: name, groupState: name, protocolType: name, protocolData: name, authorizedOperations: int32,
        members: list(fc.record({ memberId: name, groupInstanceId: nullable(name), clientId: name, clientHost: name, memberMetadata: buffer, memberAssignment: buffer })),
      })),
    }),
  },
};
