/**
 * ACLs on the group coordinator's APIs, as Kafka checks them: FindCoordinator for a group needs
 * DESCRIBE on it; JoinGroup, SyncGroup, Heartbeat and LeaveGroup need READ (a principal that may
 * not consume in a group must not be able to join it and force its members to rebalance);
 * DescribeGroups answers GROUP_AUTHORIZATION_FAILED for each group the principal may not
 * DESCRIBE; ListGroups lists every group to a principal with DESCRIBE on the cluster and only
 * the describable ones to anyone else.
 */
import {
  ApiKey,
  AUTHORIZED_OPERATIONS_NOT_REQUESTED,
  CoordinatorKeyType,
  ErrorCode,
  type DecodedRequest,
  type DescribeGroupsResponse,
  type ListGroupsResponse,
} from '../protocol/index.js';
import type { Intercepted } from './broker-security.js';
import type { RequestAuthorizer } from './request-authorization.js';

const DENIED = ErrorCode.GROUP_AUTHORIZATION_FAILED;
const identity = (response: unknown) => response;

/** The whole request refused: the API's response with GROUP_AUTHORIZATION_FAILED and nothing else. */
function refused(request: DecodedRequest): Intercepted | undefined {
  const answer = (body: unknown): Intercepted => ({ kind: 'answer', apiKey: request.apiKey, body: body as never, close: false });
  switch (request.apiKey) {
    case ApiKey.FindCoordinator:
      return answer({ throttleTimeMs: 0, errorCode: DENIED, errorMessage: 'Authorization failed.', nodeId: -1, host: '', port: -1 });
    case ApiKey.JoinGroup:
      return answer({ throttleTimeMs: 0, errorCode: DENIED, generationId: -1, protocolName: '', leader: '', memberId: request.body.memberId, members: [] });
    case ApiKey.SyncGroup:
      return answer({ throttleTimeMs: 0, errorCode: DENIED, assignment: Buffer.alloc(0) });
    case ApiKey.Heartbeat:
      return answer({ throttleTimeMs: 0, errorCode: DENIED });
    case ApiKey.LeaveGroup:
      return answer({ throttleTimeMs: 0, errorCode: DENIED, members: request.body.members.map((member) => ({ ...member, errorCode: DENIED })) });
    default:
      return undefined;
  }
}

/** The verdict on a group coordinator request, or undefined when `request` is not one. */
export function authorizeGroupRequest(check: RequestAuthorizer, request: DecodedRequest): Intercepted | undefined {
  switch (request.apiKey) {
    case ApiKey.FindCoordinator:
      // Transaction coordinators are not served (COORDINATOR_NOT_AVAILABLE): nothing to guard.
      if (request.body.keyType !== CoordinatorKeyType.GROUP || check.group('describe', request.body.key)) return { kind: 'serve', request, complete: identity };
      return refused(request);
    case ApiKey.JoinGroup:
    case ApiKey.SyncGroup:
    case ApiKey.Heartbeat:
    case ApiKey.LeaveGroup:
      return check.group('read', request.body.groupId) ? { kind: 'serve', request, complete: identity } : refused(request);
    case ApiKey.DescribeGroups: {
      const denied = request.body.groups.filter((groupId) => !check.group('describe', groupId));
      const refusedGroups = denied.map((groupId) => ({ errorCode: DENIED, groupId, groupState: '', protocolType: '', protocolData: '', members: [], authorizedOperations: AUTHORIZED_OPERATIONS_NOT_REQUESTED }));
      const body = { ...request.body, groups: request.body.groups.filter((groupId) => !denied.includes(groupId)) };
      const complete = (response: DescribeGroupsResponse): DescribeGroupsResponse => ({ ...response, groups: [...response.groups, ...refusedGroups] });
      return { kind: 'serve', request: { ...request, body } as DecodedRequest, complete: complete as (response: unknown) => unknown };
    }
    case ApiKey.ListGroups: {
      if (check.cluster('describe')) return { kind: 'serve', request, complete: identity };
      const complete = (response: ListGroupsResponse): ListGroupsResponse => ({ ...response, groups: response.groups.filter((group) => check.group('describe', group.groupId)) });
      return { kind: 'serve', request, complete: complete as (response: unknown) => unknown };
    }
    default:
      return undefined;
  }
}
