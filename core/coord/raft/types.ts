/**
 * The data Raft exchanges with its caller: log entries, durable state, messages and the Ready
 * batch. Plain data only, so the codec, storage and simulator share them without a dependency on
 * the state machine.
 */

/** A voter's id, > 0. 0 stands for "nobody" in votedFor and leaderId. */
export type NodeId = number;

export type EntryKind = 'normal' | 'noop';

/** A log entry. A new leader appends a `noop` at the start of its term so that it can commit
 * (Raft §5.4.2 only lets a leader count replicas for entries of its own term). */
export interface Entry {
  index: number;
  term: number;
  kind: EntryKind;
  data: Uint8Array;
}

/** State that must be durable before any message that depends on it leaves the node. */
export interface HardState {
  term: number;
  votedFor: NodeId | 0;
  commit: number;
}

/** Application state up to and including `index`, whose entry had term `term`. */
export interface Snapshot {
  index: number;
  term: number;
  data: Uint8Array;
}

export type Role = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

export type MessageBody =
  /** Sent with term = candidate's term + 1 without bumping it (Raft thesis §9.6). */
  | { type: 'PreVote'; lastLogIndex: number; lastLogTerm: number }
  | { type: 'PreVoteResponse'; granted: boolean }
  | { type: 'RequestVote'; lastLogIndex: number; lastLogTerm: number }
  | { type: 'RequestVoteResponse'; granted: boolean }
  | { type: 'AppendEntries'; prevLogIndex: number; prevLogTerm: number; entries: Entry[]; commit: number }
  /** success: the follower's log matches the leader's up to `index`. Rejection: `index` is the
   * rejected prevLogIndex and (hintIndex, hintTerm) the follower's last entry with term <=
   * prevLogTerm, so the leader skips a whole term per round trip instead of one entry. */
  | { type: 'AppendEntriesResponse'; success: boolean; index: number; hintIndex: number; hintTerm: number }
  /** commit = min(leader commit, follower's match), so a follower never commits what it may lack. */
  | { type: 'Heartbeat'; commit: number }
  | { type: 'HeartbeatResponse' }
  | { type: 'InstallSnapshot'; snapshot: Snapshot }
  /** `index`: the follower now holds everything up to here. */
  | { type: 'InstallSnapshotResponse'; index: number };

export type MessageType = MessageBody['type'];

export type Message = { from: NodeId; to: NodeId; term: number } & MessageBody;

export interface SoftState {
  leaderId: NodeId | 0;
  role: Role;
}

/**
 * One batch of work for the caller, in this order: persist `snapshot`, `entries` and `hardState`
 * (fsync), then send `messages`, then apply `committedEntries`, then call `advance(ready)`.
 */
export interface Ready {
  /** Persist before sending messages. Absent when unchanged since the last Ready. */
  hardState?: HardState;
  /** Append to the durable log; entries[0].index <= last durable index means: truncate from
   * entries[0].index first (a conflicting suffix is being replaced). */
  entries: Entry[];
  /** Replaces the whole durable log: store it, drop every stored entry, restore the application
   * from it. Later `entries` of the same Ready follow it. */
  snapshot?: Snapshot;
  messages: Message[];
  /** Apply in order; all are durable once this Ready's entries are. */
  committedEntries: Entry[];
  softState?: SoftState;
}

export interface RaftConfig {
  id: NodeId;
  /** All voters, including `id`. */
  peers: NodeId[];
  /** Followers start an election after a random timeout in [electionTicks, 2 * electionTicks). */
  electionTicks: number;
  heartbeatTicks: number;
  /** Uniform in [0, 1); injected so tests are deterministic. */
  random: () => number;
  /** Default true: ask for votes at term + 1 first, so a partitioned node cannot inflate terms. */
  preVote?: boolean;
  /** Default true: a leader that has not heard from a quorum for electionTicks steps down. */
  checkQuorum?: boolean;
  maxEntriesPerAppend?: number;
  maxInflightAppends?: number;
  /** Called (on the leader) when a follower no longer holds entries it acknowledged; the leader
   * repairs it by probing from the follower's hint. Meant for a loud log line: see docs/coord.md. */
  onFollowerLogLost?: (loss: FollowerLogLoss) => void;
}

/** A follower rejected an index it had acknowledged: its disk lost fsynced entries. */
export interface FollowerLogLoss {
  follower: NodeId;
  /** What the follower had acknowledged before. */
  acknowledgedIndex: number;
  /** The follower's own hint: its last entry that may still match. */
  followerHintIndex: number;
  /** Where the leader now resends from. */
  reprobeFrom: number;
}

/** What storage recovered: the caller restores its application from `snapshot` itself. */
export interface RestoredState {
  hardState: HardState;
  snapshot?: Snapshot;
  /** Entries after the snapshot, contiguous. */
  entries: Entry[];
}
