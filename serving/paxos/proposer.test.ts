import { describe, expect, it } from '@jest/globals';
import type { PrepareReply, ProposeReply } from './acceptor.js';
import { nextProposal, type Ballot, type Proposal } from './ballot.js';
import { ProposerMisuseError, StaleBallotError } from './errors.js';
import { PAXOS_HISTORY_LENGTH } from './limits.js';
import { CasProposer, type CasCondition, type PaxosMessage } from './proposer.js';

const REPLICAS = ['a', 'b', 'c'];
const ts = (wallMs: number) => ({ wallMs, logical: 0 });
const setIfAbsent: CasCondition = (current) => (current === null ? { write: true, value: Buffer.from('mine') } : { write: false });
const increment: CasCondition = (current) => ({ write: true, value: Buffer.from(String(Number(current?.toString() ?? '0') + 1)) });

function proposer(condition: CasCondition = setIfAbsent, maxRounds = 5): CasProposer {
  return new CasProposer({ nodeId: 'me', replicas: REPLICAS, operationId: 'me/1', condition, maxRounds });
}
const promise = (ballot: Ballot, committed: Proposal | null = null, accepted: Proposal | null = null): PrepareReply => ({ kind: 'promise', ballot, accepted, committed });
const accepted = (ballot: Ballot): ProposeReply => ({ kind: 'accepted', ballot });
const typesTo = (messages: PaxosMessage[]): string[] => messages.map((message) => `${message.type}:${message.to}`);

/** A chain of `count` chosen values by other operations, the latest returned. */
function chain(count: number, firstOperation = 1): Proposal {
  let latest: Proposal | null = null;
  for (let i = firstOperation; i < firstOperation + count; i++) latest = nextProposal(latest, { timestamp: ts(i), nodeId: 'other' }, `other/${i}`, Buffer.from(String(i)));
  return latest as Proposal;
}

describe('paxos proposer', () => {
  it('prepares, proposes on a majority of promises and commits to all on a majority of acceptances', () => {
    const cas = proposer();
    const prepares = cas.startRound(ts(100));
    expect(typesTo(prepares)).toEqual(['prepare:a', 'prepare:b', 'prepare:c']);
    const ballot = { timestamp: ts(100), nodeId: 'me' };
    expect(cas.onPrepareReply('a', promise(ballot))).toEqual([]);
    const proposals = cas.onPrepareReply('b', promise(ballot));
    expect(typesTo(proposals)).toEqual(['propose:a', 'propose:b', 'propose:c']);
    expect(proposals[0]).toMatchObject({ proposal: { height: 1, value: Buffer.from('mine'), history: ['me/1'] } });
    cas.onProposeReply('c', accepted(ballot));
    const commits = cas.onProposeReply('a', accepted(ballot));
    expect(typesTo(commits)).toEqual(['commit:a', 'commit:b', 'commit:c']);
    expect(cas.outcome).toEqual({ status: 'applied', value: Buffer.from('mine'), height: 1 });
  });

  it('reads the newest commit among the promises and reports a false condition with the value read', () => {
    const cas = proposer();
    cas.startRound(ts(100));
    const ballot = { timestamp: ts(100), nodeId: 'me' };
    const older = chain(1);
    const newer = chain(2);
    cas.onPrepareReply('a', promise(ballot, older));
    const messages = cas.onPrepareReply('b', promise(ballot, newer));
    expect(typesTo(messages)).toEqual(['commit:a']); // a learns the newer commit
    expect(cas.outcome).toEqual({ status: 'condition-failed', current: Buffer.from('2'), height: 2 });
  });

  it('finishes an in-progress round of another proposer before its own, then asks for a new round', () => {
    const cas = proposer(increment);
    cas.startRound(ts(100));
    const ballot = { timestamp: ts(100), nodeId: 'me' };
    const committed = chain(1);
    const inProgress = nextProposal(committed, { timestamp: ts(50), nodeId: 'other' }, 'other/x', Buffer.from('2'));
    cas.onPrepareReply('a', promise(ballot, committed, inProgress));
    const repairs = cas.onPrepareReply('c', promise(ballot, committed));
    expect(cas.phase).toBe('repairing');
    expect(repairs[0]).toMatchObject({ type: 'propose', proposal: { ...inProgress, ballot } });
    cas.onProposeReply('a', accepted(ballot));
    expect(typesTo(cas.onProposeReply('b', accepted(ballot)))).toEqual(['commit:a', 'commit:b', 'commit:c']);
    expect([cas.phase, cas.retryReason]).toEqual(['needs-ballot', 'repaired']);
  });

  it('retries on a majority of rejections above the highest ballot seen, refusing a stale ballot', () => {
    const cas = proposer();
    cas.startRound(ts(100));
    const ballot = { timestamp: ts(100), nodeId: 'me' };
    const higher = { timestamp: ts(200), nodeId: 'other' };
    cas.onPrepareReply('a', { kind: 'reject', ballot, promised: higher });
    expect(cas.phase).toBe('preparing');
    cas.onPrepareReply('b', { kind: 'reject', ballot, promised: higher });
    expect([cas.phase, cas.retryReason, cas.highestBallotSeen]).toEqual(['needs-ballot', 'contention', higher]);
    expect(() => cas.startRound(ts(200))).toThrow(StaleBallotError);
    cas.startRound(ts(201));
    expect(() => cas.startRound(ts(300))).toThrow(ProposerMisuseError);
  });

  it('ignores replies from other rounds, strangers and duplicates', () => {
    const cas = proposer();
    cas.startRound(ts(100));
    const ballot = { timestamp: ts(100), nodeId: 'me' };
    cas.onPrepareReply('a', promise(ballot));
    expect(cas.onPrepareReply('a', promise(ballot))).toEqual([]);
    expect(cas.onPrepareReply('z', promise(ballot))).toEqual([]);
    expect(cas.onPrepareReply('b', promise({ timestamp: ts(99), nodeId: 'me' }))).toEqual([]);
    expect(cas.phase).toBe('preparing');
  });

  it('gives up after maxRounds: not applied if nothing of its own could be chosen, unknown otherwise', () => {
    const idle = proposer(setIfAbsent, 1);
    idle.startRound(ts(1));
    idle.onTimeout();
    expect(idle.outcome).toEqual({ status: 'not-applied', reason: 'rounds-exhausted' });
    const proposed = proposer(setIfAbsent, 1);
    proposed.startRound(ts(1));
    const ballot = { timestamp: ts(1), nodeId: 'me' };
    proposed.onPrepareReply('a', promise(ballot));
    proposed.onPrepareReply('b', promise(ballot));
    proposed.onTimeout();
    expect(proposed.outcome).toEqual({ status: 'unknown', reason: 'rounds-exhausted' });
  });

  describe('learning the fate of a proposal whose replies were lost', () => {
    /** Round 1 proposes increment at height 2 over `base`, then times out. */
    function lostProposal(): { cas: CasProposer; base: Proposal; mine: Proposal } {
      const cas = proposer(increment);
      const base = chain(1);
      cas.startRound(ts(100));
      const first = { timestamp: ts(100), nodeId: 'me' };
      cas.onPrepareReply('a', promise(first, base));
      const [propose] = cas.onPrepareReply('b', promise(first, base));
      cas.onTimeout();
      cas.startRound(ts(101));
      return { cas, base, mine: (propose as Extract<PaxosMessage, { type: 'propose' }>).proposal };
    }
    const second = { timestamp: ts(101), nodeId: 'me' };

    it('reports applied when the chain shows its operation at its height', () => {
      const { cas, mine } = lostProposal();
      const later = nextProposal({ ...mine, ballot: { timestamp: ts(100), nodeId: 'me' } }, { timestamp: ts(100), nodeId: 'x' }, 'other/9', Buffer.from('3'));
      cas.onPrepareReply('a', promise(second, later));
      cas.onPrepareReply('b', promise(second, later));
      expect(cas.outcome).toEqual({ status: 'applied', value: Buffer.from('2'), height: 2 });
    });

    it('re-evaluates on the new value when another operation took its height', () => {
      const { cas, base } = lostProposal();
      const other = nextProposal(base, { timestamp: ts(100), nodeId: 'x' }, 'other/9', Buffer.from('2'));
      cas.onPrepareReply('a', promise(second, other));
      const [propose] = cas.onPrepareReply('b', promise(second, other));
      expect(propose).toMatchObject({ type: 'propose', proposal: { height: 3, value: Buffer.from('3'), operationId: 'me/1' } });
    });

    it('proposes the same value again while nothing new was chosen', () => {
      const { cas, base } = lostProposal();
      cas.onPrepareReply('a', promise(second, base));
      const [propose] = cas.onPrepareReply('c', promise(second, base));
      expect(propose).toMatchObject({ proposal: { height: 2, value: Buffer.from('2'), ballot: second } });
    });

    it('reports unknown when more values than the history holds were chosen meanwhile', () => {
      const { cas } = lostProposal();
      const far = chain(PAXOS_HISTORY_LENGTH + 2, 1000);
      cas.onPrepareReply('a', promise(second, far));
      cas.onPrepareReply('b', promise(second, far));
      expect(cas.outcome).toEqual({ status: 'unknown', reason: 'history-exceeded' });
    });
  });
});
