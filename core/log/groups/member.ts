/**
 * A group member as the coordinator keeps it, the inputs and replies of the group state machine,
 * and Kafka's protocol (assignor) vote.
 */
export interface MemberProtocol {
  name: string;
  metadata: Buffer;
}

export interface GroupMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  /** In the member's order of preference. */
  protocols: MemberProtocol[];
  assignment: Buffer;
  /** The token of a parked JoinGroup, if any. */
  awaitingJoin: number | null;
  /** The token of a parked SyncGroup, if any. */
  awaitingSync: number | null;
  sessionDeadlineMs: number;
}

export interface JoinGroupInput {
  /** "" for a member joining for the first time. */
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: MemberProtocol[];
  /** JoinGroup v4+: a new member first gets its id with MEMBER_ID_REQUIRED, then joins with it. */
  requireKnownMemberId: boolean;
}

export interface JoinReply {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  /** Every member's metadata for the chosen protocol: for the leader only. */
  members: { memberId: string; groupInstanceId: string | null; metadata: Buffer }[];
}

export interface SyncReply {
  errorCode: number;
  assignment: Buffer;
}

/**
 * Kafka's selectProtocol: among the protocols every member supports, each member votes for the
 * first one in its own preference order; most votes wins, ties go to the earliest candidate.
 */
export function chooseProtocol(members: readonly Pick<GroupMember, 'protocols'>[]): string {
  const [first, ...rest] = members;
  if (first === undefined) throw new RangeError('chooseProtocol needs at least one member');
  const candidates = first.protocols.map((protocol) => protocol.name).filter((name) => rest.every((member) => member.protocols.some((protocol) => protocol.name === name)));
  const votes = new Map(candidates.map((name) => [name, 0]));
  for (const member of members) {
    const vote = member.protocols.find((protocol) => votes.has(protocol.name));
    if (vote) votes.set(vote.name, (votes.get(vote.name) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [name, count] of votes) if (best === undefined || count > (votes.get(best) ?? 0)) best = name;
  if (best === undefined) throw new RangeError('members share no protocol (joins are checked for this)');
  return best;
}
