import { describe, expect, it } from '@jest/globals';
import { NotLeaderError, RaftConfigError } from './errors.js';
import { RaftNode } from './raft-node.js';
import type { FollowerLogLoss, Message, MessageBody, NodeId, Ready } from './types.js';

const ELECTION_TICKS = 10;

interface NodeOptions { peers?: NodeId[]; checkQuorum?: boolean; preVote?: boolean; onFollowerLogLost?: (loss: FollowerLogLoss) => void }

function node(id: NodeId, options: NodeOptions = {}): RaftNode {
  return new RaftNode({ id, peers: options.peers ?? [1, 2, 3], electionTicks: ELECTION_TICKS, heartbeatTicks: 1, random: () => 0, checkQuorum: options.checkQuorum, preVote: options.preVote, onFollowerLogLost: options.onFollowerLogLost });
}

/** Takes the node's Ready, advances it (as if persisted, sent, applied) and returns it. */
function drain(raft: RaftNode): Ready {
  const ready = raft.ready();
  raft.advance(ready);
  return ready;
}

function msg(from: NodeId, to: NodeId, term: number, body: MessageBody): Message {
  return { from, to, term, ...body };
}

function tickUntilElectionStarts(raft: RaftNode): void {
  for (let i = 0; i < ELECTION_TICKS; i++) raft.tick();
}

/** Makes node 1 leader of [1, 2, 3] at term 1 by answering its (pre-)vote requests. */
function electLeader(options: NodeOptions = {}): RaftNode {
  const leader = node(1, options);
  tickUntilElectionStarts(leader);
  drain(leader);
  leader.step(msg(2, 1, 1, { type: 'PreVoteResponse', granted: true }));
  drain(leader);
  leader.step(msg(2, 1, 1, { type: 'RequestVoteResponse', granted: true }));
  expect(leader.role).toBe('leader');
  return leader;
}

describe('raft node: elections', () => {
  it('starts with a pre-vote at term + 1 without bumping its term', () => {
    const raft = node(1);
    tickUntilElectionStarts(raft);
    expect(raft.role).toBe('pre-candidate');
    expect(raft.term).toBe(0);
    const ready = drain(raft);
    expect(ready.messages.map((m) => [m.type, m.to, m.term])).toEqual([['PreVote', 2, 1], ['PreVote', 3, 1]]);
  });

  it('grants a pre-vote without bumping its term or recording a vote', () => {
    const raft = node(2);
    raft.step(msg(1, 2, 1, { type: 'PreVote', lastLogIndex: 0, lastLogTerm: 0 }));
    const ready = drain(raft);
    expect(raft.term).toBe(0);
    expect(ready.hardState).toBeUndefined();
    expect(ready.messages).toEqual([msg(2, 1, 1, { type: 'PreVoteResponse', granted: true })]);
  });

  it('refuses a vote to a candidate whose log is behind', () => {
    const leader = electLeader();
    drain(leader);
    // Without checkQuorum there is no leader stickiness to ignore the request.
    const follower = node(2, { checkQuorum: false });
    follower.step(msg(1, 2, 1, { type: 'AppendEntries', prevLogIndex: 0, prevLogTerm: 0, entries: [leader.entryAt(1)!], commit: 0 }));
    drain(follower);
    follower.step(msg(3, 2, 2, { type: 'RequestVote', lastLogIndex: 0, lastLogTerm: 0 }));
    const ready = drain(follower);
    expect(ready.messages.at(-1)).toMatchObject({ type: 'RequestVoteResponse', granted: false, term: 2 });
  });

  it('persists its vote in the same Ready as the vote response', () => {
    const raft = node(2);
    raft.step(msg(1, 2, 1, { type: 'RequestVote', lastLogIndex: 0, lastLogTerm: 0 }));
    const ready = drain(raft);
    expect(ready.hardState).toEqual({ term: 1, votedFor: 1, commit: 0 });
    expect(ready.messages).toEqual([msg(2, 1, 1, { type: 'RequestVoteResponse', granted: true })]);
  });

  it('votes for at most one candidate per term', () => {
    const raft = node(3);
    raft.step(msg(1, 3, 1, { type: 'RequestVote', lastLogIndex: 0, lastLogTerm: 0 }));
    raft.step(msg(2, 3, 1, { type: 'RequestVote', lastLogIndex: 0, lastLogTerm: 0 }));
    const votes = drain(raft).messages.map((m) => (m.type === 'RequestVoteResponse' ? m.granted : undefined));
    expect(votes).toEqual([true, false]);
  });

  it('becomes leader on a quorum and appends a noop of its term', () => {
    const leader = electLeader();
    expect(leader.term).toBe(1);
    expect(leader.entryAt(1)).toMatchObject({ index: 1, term: 1, kind: 'noop' });
    const ready = drain(leader);
    expect(ready.softState).toEqual({ leaderId: 1, role: 'leader' });
    expect(ready.entries.map((e) => e.index)).toEqual([1]);
  });

  it('ignores vote requests while it hears from a leader (leader stickiness)', () => {
    const follower = node(2);
    follower.step(msg(1, 2, 1, { type: 'Heartbeat', commit: 0 }));
    drain(follower);
    follower.step(msg(3, 2, 5, { type: 'RequestVote', lastLogIndex: 10, lastLogTerm: 4 }));
    expect(follower.term).toBe(1);
    expect(drain(follower).messages).toEqual([]);
  });

  it('does not inflate terms while partitioned: pre-votes fail and the term stays', () => {
    const isolated = node(3);
    for (let i = 0; i < 20 * ELECTION_TICKS; i++) {
      isolated.tick();
      drain(isolated); // messages go nowhere
    }
    expect(isolated.term).toBe(0);
  });

  it('a single-voter cluster elects itself and commits its own proposals', () => {
    const solo = node(1, { peers: [1] });
    tickUntilElectionStarts(solo);
    expect(solo.role).toBe('leader');
    solo.propose(new Uint8Array([7]));
    const ready = drain(solo);
    expect(ready.committedEntries.map((e) => e.kind)).toEqual(['noop', 'normal']);
  });

  it('rejects invalid configuration with a typed error', () => {
    expect(() => node(4)).toThrow(RaftConfigError);
    expect(() => new RaftNode({ id: 1, peers: [1], electionTicks: 2, heartbeatTicks: 2, random: () => 0 })).toThrow(/heartbeatTicks/);
  });
});

describe('raft node: replication', () => {
  it('throws NotLeaderError naming the leader when a follower gets a proposal', () => {
    const follower = node(2);
    follower.step(msg(1, 2, 1, { type: 'Heartbeat', commit: 0 }));
    expect(() => follower.propose(new Uint8Array())).toThrow(NotLeaderError);
    try {
      follower.propose(new Uint8Array());
    } catch (error) {
      expect(error).toMatchObject({ code: 'NOT_LEADER', leaderId: 1 });
    }
  });

  it('commits once a quorum acknowledges an entry of its term', () => {
    const leader = electLeader();
    drain(leader);
    leader.propose(new Uint8Array([1]));
    drain(leader);
    expect(leader.commitIndex).toBe(0);
    leader.step(msg(2, 1, 1, { type: 'AppendEntriesResponse', success: true, index: 2, hintIndex: 0, hintTerm: 0 }));
    expect(leader.commitIndex).toBe(2);
    expect(drain(leader).committedEntries.map((e) => e.index)).toEqual([1, 2]);
  });

  it('does not commit an earlier-term entry by counting replicas (Raft §5.4.2)', () => {
    // Node 1 restarts with an uncommitted term-1 entry and wins term 2; a quorum holding the
    // term-1 entry alone must not commit it, only the term-2 noop after it does.
    const leader = new RaftNode(
      { id: 1, peers: [1, 2, 3], electionTicks: ELECTION_TICKS, heartbeatTicks: 1, random: () => 0, preVote: false },
      { hardState: { term: 1, votedFor: 1, commit: 0 }, entries: [{ index: 1, term: 1, kind: 'noop', data: new Uint8Array() }] },
    );
    tickUntilElectionStarts(leader);
    leader.step(msg(2, 1, 2, { type: 'RequestVoteResponse', granted: true }));
    expect(leader.role).toBe('leader');
    leader.step(msg(2, 1, 2, { type: 'AppendEntriesResponse', success: true, index: 1, hintIndex: 0, hintTerm: 0 }));
    expect(leader.commitIndex).toBe(0);
    leader.step(msg(2, 1, 2, { type: 'AppendEntriesResponse', success: true, index: 2, hintIndex: 0, hintTerm: 0 }));
    expect(leader.commitIndex).toBe(2);
  });

  it('truncates a conflicting suffix and tells storage to overwrite from there', () => {
    const follower = new RaftNode(
      { id: 2, peers: [1, 2, 3], electionTicks: ELECTION_TICKS, heartbeatTicks: 1, random: () => 0 },
      { hardState: { term: 2, votedFor: 0, commit: 1 }, entries: [1, 2, 2].map((term, i) => ({ index: i + 1, term, kind: 'normal' as const, data: new Uint8Array() })) },
    );
    const replacement = { index: 2, term: 3, kind: 'normal' as const, data: new Uint8Array([9]) };
    follower.step(msg(1, 2, 3, { type: 'AppendEntries', prevLogIndex: 1, prevLogTerm: 1, entries: [replacement], commit: 1 }));
    const ready = drain(follower);
    expect(ready.entries).toEqual([replacement]);
    expect(follower.lastIndex).toBe(2);
    expect(ready.messages).toEqual([msg(2, 1, 3, { type: 'AppendEntriesResponse', success: true, index: 2, hintIndex: 0, hintTerm: 0 })]);
  });

  it('answers a mismatch with a conflict hint that skips the whole conflicting term', () => {
    const follower = new RaftNode(
      { id: 2, peers: [1, 2, 3], electionTicks: ELECTION_TICKS, heartbeatTicks: 1, random: () => 0 },
      { hardState: { term: 3, votedFor: 0, commit: 0 }, entries: [1, 3, 3, 3, 3].map((term, i) => ({ index: i + 1, term, kind: 'normal' as const, data: new Uint8Array() })) },
    );
    follower.step(msg(1, 2, 4, { type: 'AppendEntries', prevLogIndex: 5, prevLogTerm: 2, entries: [], commit: 0 }));
    expect(drain(follower).messages[0]).toMatchObject({ type: 'AppendEntriesResponse', success: false, index: 5, hintIndex: 1, hintTerm: 1 });
  });

  it('steps down when it loses contact with the quorum', () => {
    const leader = electLeader();
    for (let i = 0; i < 2 * ELECTION_TICKS; i++) {
      leader.tick();
      drain(leader);
    }
    expect(leader.role).toBe('follower');
    expect(leader.leaderId).toBe(0);
  });

  it('stays leader while a quorum answers heartbeats', () => {
    const leader = electLeader();
    for (let i = 0; i < 5 * ELECTION_TICKS; i++) {
      leader.tick();
      leader.step(msg(2, 1, 1, { type: 'HeartbeatResponse' }));
      drain(leader);
    }
    expect(leader.role).toBe('leader');
  });

  it('makes a stale leader step down by answering its heartbeat with the newer term', () => {
    const follower = node(2);
    follower.step(msg(3, 2, 5, { type: 'Heartbeat', commit: 0 }));
    drain(follower);
    follower.step(msg(1, 2, 1, { type: 'Heartbeat', commit: 0 }));
    expect(drain(follower).messages[0]).toMatchObject({ type: 'AppendEntriesResponse', term: 5, to: 1 });
  });

  it('drops messages from unknown peers and malformed appends without throwing', () => {
    const follower = node(2);
    follower.step(msg(9, 2, 1, { type: 'Heartbeat', commit: 0 }));
    follower.step(msg(1, 2, 1, { type: 'AppendEntries', prevLogIndex: 0, prevLogTerm: 0, entries: [{ index: 5, term: 1, kind: 'normal', data: new Uint8Array() }], commit: 0 }));
    expect(follower.lastIndex).toBe(0);
    expect(drain(follower).messages).toEqual([]);
  });
});

/** Delivers messages between `nodes` until none is left; messages to other ids are dropped.
 * Bounded so that a livelock fails the test instead of hanging it. */
function exchangeUntilQuiet(nodes: RaftNode[]): void {
  const MAX_ROUNDS = 100;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const messages = nodes.flatMap((raft) => drain(raft).messages);
    if (messages.length === 0) return;
    for (const message of messages) nodes.find((raft) => raft.id === message.to)?.step(message);
  }
  throw new Error(`still exchanging messages after ${MAX_ROUNDS} rounds`);
}

function expectSameLog(a: RaftNode, b: RaftNode): void {
  expect(b.lastIndex).toBe(a.lastIndex);
  for (let index = 1; index <= a.lastIndex; index++) expect([index, b.termAt(index)]).toEqual([index, a.termAt(index)]);
}

describe('raft node: a follower whose disk lost acknowledged entries', () => {
  /** Leader 1 and follower 2 replicate three proposals (follower 2 acknowledged all four entries). */
  function replicatedPair(losses: FollowerLogLoss[]): { leader: RaftNode; follower: RaftNode } {
    const leader = electLeader({ onFollowerLogLost: (loss) => losses.push(loss) });
    const follower = node(2);
    for (let i = 0; i < 3; i++) leader.propose(new Uint8Array([i]));
    exchangeUntilQuiet([leader, follower]);
    expect([leader.commitIndex, follower.lastIndex]).toEqual([4, 4]);
    return { leader, follower };
  }

  it('is repaired from its hint, and the leader reports the loss', () => {
    const losses: FollowerLogLoss[] = [];
    const { leader, follower } = replicatedPair(losses);
    // The follower restarts with its last two (fsynced, acknowledged) entries gone.
    const kept = [1, 2].map((index) => follower.entryAt(index)!);
    const restarted = new RaftNode({ id: 2, peers: [1, 2, 3], electionTicks: ELECTION_TICKS, heartbeatTicks: 1, random: () => 0 }, { hardState: { term: follower.term, votedFor: 0, commit: 2 }, entries: kept });
    leader.propose(new Uint8Array([9]));
    exchangeUntilQuiet([leader, restarted]);
    expectSameLog(leader, restarted);
    expect(restarted.commitIndex).toBe(5);
    expect(losses).toEqual([{ follower: 2, acknowledgedIndex: 4, followerHintIndex: 2, reprobeFrom: 3 }]);
  });

  it('treats a duplicated old rejection as stale: no loss reported, nothing re-sent beyond one probe', () => {
    const losses: FollowerLogLoss[] = [];
    const { leader, follower } = replicatedPair(losses);
    leader.step(msg(2, 1, 1, { type: 'AppendEntriesResponse', success: false, index: 1, hintIndex: 0, hintTerm: 0 }));
    exchangeUntilQuiet([leader, follower]);
    leader.propose(new Uint8Array([9]));
    exchangeUntilQuiet([leader, follower]);
    expectSameLog(leader, follower);
    expect(losses).toEqual([]);
  });
});

describe('raft node: snapshots', () => {
  it('sends InstallSnapshot to a follower behind the compaction point', () => {
    const leader = electLeader();
    for (let i = 0; i < 3; i++) leader.propose(new Uint8Array([i]));
    drain(leader);
    leader.step(msg(2, 1, 1, { type: 'AppendEntriesResponse', success: true, index: 4, hintIndex: 0, hintTerm: 0 }));
    drain(leader);
    const snapshot = leader.compact(4, new Uint8Array([42]));
    expect(snapshot).toEqual({ index: 4, term: 1, data: new Uint8Array([42]) });
    expect(leader.firstIndex).toBe(5);
    // Node 3 never answered; once it does, from an empty log, it can only get the snapshot.
    leader.step(msg(3, 1, 1, { type: 'AppendEntriesResponse', success: false, index: 0, hintIndex: 0, hintTerm: 0 }));
    leader.step(msg(3, 1, 1, { type: 'HeartbeatResponse' }));
    const sent = drain(leader).messages.filter((m) => m.to === 3);
    expect(sent.some((m) => m.type === 'InstallSnapshot' && m.snapshot.index === 4)).toBe(true);
  });

  it('restores from an InstallSnapshot and hands it out to persist and apply', () => {
    const follower = node(2);
    const snapshot = { index: 10, term: 1, data: new Uint8Array([1, 2]) };
    follower.step(msg(1, 2, 1, { type: 'InstallSnapshot', snapshot }));
    const ready = drain(follower);
    expect(ready.snapshot).toEqual(snapshot);
    expect(ready.committedEntries).toEqual([]);
    expect(ready.messages).toEqual([msg(2, 1, 1, { type: 'InstallSnapshotResponse', index: 10 })]);
    expect([follower.commitIndex, follower.appliedIndex, follower.firstIndex]).toEqual([10, 10, 11]);
  });

  it('restarts from restored state and replays committed entries after the snapshot', () => {
    const raft = new RaftNode(
      { id: 1, peers: [1, 2, 3], electionTicks: ELECTION_TICKS, heartbeatTicks: 1, random: () => 0 },
      { hardState: { term: 2, votedFor: 1, commit: 6 }, snapshot: { index: 4, term: 1, data: new Uint8Array() }, entries: [5, 6, 7].map((index) => ({ index, term: 2, kind: 'normal' as const, data: new Uint8Array() })) },
    );
    const ready = drain(raft);
    expect(ready.entries).toEqual([]);
    expect(ready.hardState).toBeUndefined();
    expect(ready.committedEntries.map((e) => e.index)).toEqual([5, 6]);
    expect(raft.hasReady()).toBe(false);
  });
});
