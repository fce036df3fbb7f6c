import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { EMPTY_ACCEPTOR_STATE, handleCommit, handlePrepare, handlePropose, type AcceptorState } from './acceptor.js';
import { compareBallots, nextProposal, operationAtHeight, type Ballot, type Proposal } from './ballot.js';
import { PaxosError, UnsupportedPaxosFormatError } from './errors.js';
import { PAXOS_HISTORY_LENGTH } from './limits.js';
import { decodeAcceptorState, decodeProposal, encodeAcceptorState, encodeProposal } from './paxos-codec.js';

const ballot = (wallMs: number, nodeId = 'n1'): Ballot => ({ timestamp: { wallMs, logical: 0 }, nodeId });
const proposal = (at: Ballot, operationId = 'op', value: string | null = 'v'): Proposal => nextProposal(null, at, operationId, value === null ? null : Buffer.from(value));

describe('ballots and proposals', () => {
  it('orders ballots by timestamp, then node id', () => {
    expect(compareBallots(ballot(1, 'z'), ballot(2, 'a'))).toBe(-1);
    expect(compareBallots(ballot(2, 'b'), ballot(2, 'a'))).toBe(1);
    expect(compareBallots(ballot(2, 'a'), ballot(2, 'a'))).toBe(0);
  });

  it('remembers the last operations of the chain, up to PAXOS_HISTORY_LENGTH', () => {
    let latest: Proposal | null = null;
    for (let i = 1; i <= PAXOS_HISTORY_LENGTH + 3; i++) latest = nextProposal(latest, ballot(i), `op-${i}`, null);
    expect(latest?.height).toBe(PAXOS_HISTORY_LENGTH + 3);
    expect(operationAtHeight(latest, PAXOS_HISTORY_LENGTH + 3)).toBe(`op-${PAXOS_HISTORY_LENGTH + 3}`);
    expect(operationAtHeight(latest, 4)).toBe('op-4');
    expect(operationAtHeight(latest, 3)).toBeUndefined();
    expect(operationAtHeight(latest, PAXOS_HISTORY_LENGTH + 4)).toBeUndefined();
  });
});

describe('paxos acceptor', () => {
  it('promises a higher ballot (again for a duplicate) and refuses a lower one, naming its promise', () => {
    const first = handlePrepare(EMPTY_ACCEPTOR_STATE, ballot(5));
    expect(first).toMatchObject({ changed: true, reply: { kind: 'promise', accepted: null, committed: null } });
    expect(handlePrepare(first.state, ballot(5))).toMatchObject({ changed: false, reply: { kind: 'promise' } });
    expect(handlePrepare(first.state, ballot(4))).toEqual({ state: first.state, changed: false, reply: { kind: 'reject', ballot: ballot(4), promised: ballot(5) } });
  });

  it('accepts at or above its promise only, and reports the in-progress proposal to the next prepare', () => {
    const promised = handlePrepare(EMPTY_ACCEPTOR_STATE, ballot(5)).state;
    expect(handlePropose(promised, proposal(ballot(4))).reply).toMatchObject({ kind: 'reject', promised: ballot(5) });
    const accepted = handlePropose(promised, proposal(ballot(5)));
    expect(accepted).toMatchObject({ changed: true, reply: { kind: 'accepted', ballot: ballot(5) } });
    expect(handlePropose(accepted.state, proposal(ballot(5))).changed).toBe(false);
    expect(handlePrepare(accepted.state, ballot(6)).reply).toMatchObject({ kind: 'promise', accepted: proposal(ballot(5)) });
  });

  it('applies each newer commit once, drops the in-progress proposal it supersedes and refuses ballots below it', () => {
    const accepted = handlePropose(EMPTY_ACCEPTOR_STATE, proposal(ballot(5))).state;
    const committed = handleCommit(accepted, proposal(ballot(5)));
    expect(committed).toMatchObject({ apply: true, changed: true, state: { accepted: null, committed: proposal(ballot(5)) } });
    expect(handleCommit(committed.state, proposal(ballot(5)))).toMatchObject({ apply: false, changed: false });
    expect(handleCommit(committed.state, proposal(ballot(3)))).toMatchObject({ apply: false });
    // An acceptor that missed the prepare and propose learns the commit and then refuses older rounds.
    const late = handleCommit(EMPTY_ACCEPTOR_STATE, proposal(ballot(9)));
    expect(handlePrepare(late.state, ballot(8)).reply.kind).toBe('reject');
    // A duplicated propose of the committed round is acknowledged without storing it again.
    expect(handlePropose(late.state, proposal(ballot(9)))).toMatchObject({ changed: false, reply: { kind: 'accepted' } });
  });

  it('keeps its invariants under any sequence of messages, and its state survives the codec (property)', () => {
    const ballotArbitrary = fc.record({ wallMs: fc.integer({ min: 1, max: 6 }), node: fc.constantFrom('a', 'b') }).map(({ wallMs, node }) => ballot(wallMs, node));
    const messageArbitrary = fc.oneof(
      ballotArbitrary.map((at) => ({ kind: 'prepare' as const, at })),
      ballotArbitrary.map((at) => ({ kind: 'propose' as const, at })),
      ballotArbitrary.map((at) => ({ kind: 'commit' as const, at })),
    );
    fc.assert(
      fc.property(fc.array(messageArbitrary, { maxLength: 30 }), (messages) => {
        let state: AcceptorState = EMPTY_ACCEPTOR_STATE;
        for (const message of messages) {
          const before = state;
          const value = `${message.at.nodeId}${message.at.timestamp.wallMs}`;
          if (message.kind === 'prepare') state = handlePrepare(state, message.at).state;
          else if (message.kind === 'propose') state = handlePropose(state, proposal(message.at, value, value)).state;
          else state = handleCommit(state, proposal(message.at, value, value)).state;
          if (before.promised !== null) expect(compareBallots(state.promised as Ballot, before.promised)).toBeGreaterThanOrEqual(0);
          if (state.accepted !== null && state.committed !== null) expect(compareBallots(state.accepted.ballot, state.committed.ballot)).toBe(1);
          if (state.committed !== null) expect(compareBallots(state.promised as Ballot, state.committed.ballot)).toBeGreaterThanOrEqual(0);
          expect(decodeAcceptorState(encodeAcceptorState(state))).toEqual(state);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('paxos codec', () => {
  const full: AcceptorState = { promised: ballot(7, 'n2'), accepted: proposal(ballot(7, 'n2'), 'op-2', null), committed: proposal(ballot(6), 'op-1', 'x') };

  it('round-trips proposals and acceptor state', () => {
    expect(decodeProposal(encodeProposal(proposal(ballot(3), 'op', 'value')))).toEqual(proposal(ballot(3), 'op', 'value'));
    expect(decodeAcceptorState(encodeAcceptorState(full))).toEqual(full);
    expect(decodeAcceptorState(encodeAcceptorState(EMPTY_ACCEPTOR_STATE))).toEqual(EMPTY_ACCEPTOR_STATE);
  });

  it('refuses unknown versions and garbage with typed errors only (fuzz)', () => {
    const bytes = encodeAcceptorState(full);
    expect(() => decodeAcceptorState(Buffer.concat([Buffer.from([99]), bytes.subarray(1)]))).toThrow(UnsupportedPaxosFormatError);
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), fc.uint8Array({ maxLength: 80 }), (position, byte, cut, garbage) => {
        const mutated = Buffer.from(bytes);
        mutated[position % mutated.length] = byte;
        for (const candidate of [mutated, bytes.subarray(0, cut % bytes.length), Buffer.from(garbage)]) {
          try {
            decodeAcceptorState(candidate);
            decodeProposal(candidate);
          } catch (error) {
            expect(error).toBeInstanceOf(PaxosError);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
