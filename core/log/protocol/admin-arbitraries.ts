/**
 * fast-check arbitraries for CreatePartitions, AlterConfigs, IncrementalAlterConfigs,
 * DescribeCluster, DeleteRecords and DeleteGroups bodies, used by the codec round-trip
 * properties (codecs.test.ts). Test-only.
 */
import fc from 'fast-check';
import { ApiKey } from './api-keys.js';

const int8 = fc.integer({ min: -128, max: 127 });
const int16 = fc.integer({ min: -32768, max: 32767 });
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const name = fc.string({ maxLength: 12 });
const list = <T>(item: fc.Arbitrary<T>) => fc.array(item, { maxLength: 3 });
const nullable = <T>(item: fc.Arbitrary<T>) => fc.option(item, { nil: null });

const alterConfigsResponse = fc.record({
  throttleTimeMs: int32,
  responses: list(fc.record({ errorCode: int16, errorMessage: nullable(name), resourceType: int8, resourceName: name })),
});
const alterConfigsRequest = fc.record({
  resources: list(fc.record({ resourceType: int8, resourceName: name, configs: list(fc.record({ name, value: nullable(name), operation: int8 })) })),
  validateOnly: fc.boolean(),
});

export const adminArbitraries = {
  [ApiKey.CreatePartitions]: {
    request: fc.record({ topics: list(fc.record({ name, count: int32, assignments: nullable(list(list(int32))) })), timeoutMs: int32, validateOnly: fc.boolean() }),
    response: fc.record({ throttleTimeMs: int32, results: list(fc.record({ name, errorCode: int16, errorMessage: nullable(name) })) }),
  },
  [ApiKey.AlterConfigs]: { request: alterConfigsRequest, response: alterConfigsResponse },
  [ApiKey.IncrementalAlterConfigs]: { request: alterConfigsRequest, response: alterConfigsResponse },
  [ApiKey.DescribeCluster]: {
    request: fc.record({ includeClusterAuthorizedOperations: fc.boolean() }),
    response: fc.record({
      throttleTimeMs: int32, errorCode: int16, errorMessage: nullable(name), clusterId: name, controllerId: int32,
      brokers: list(fc.record({ brokerId: int32, host: name, port: int32, rack: nullable(name) })),
      clusterAuthorizedOperations: int32,
    }),
  },
  [ApiKey.DeleteRecords]: {
    request: fc.record({ topics: list(fc.record({ name, partitions: list(fc.record({ partitionIndex: int32, offset: int64 })) })), timeoutMs: int32 }),
    response: fc.record({ throttleTimeMs: int32, topics: list(fc.record({ name, partitions: list(fc.record({ partitionIndex: int32, lowWatermark: int64, errorCode: int16 })) })) }),
  },
  [ApiKey.DeleteGroups]: {
    request: fc.record({ groupsNames: list(name) }),
    response: fc.record({ throttleTimeMs: int32, results: list(fc.record({ groupId: name, errorCode: int16 })) }),
  },
};
