import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeEntry, decodeHardState, decodeMessage, decodeSnapshot, encodeEntry, encodeHardState, encodeMessage, encodeSnapshot } from './codec.js';
import { RaftCodecError } from './errors.js';
import { MAX_ENTRIES_PER_MESSAGE, MAX_NODE_ID, MAX_RAFT_INDEX, MAX_RAFT_TERM } from './limits.js';
import type { Entry, Message } from './types.js';

const nodeId = fc.integer({ min: 1, max: MAX_NODE_ID });
const index = fc.integer({ min: 0, max: MAX_RAFT_INDEX });
const term = fc.integer({ min: 0, max: MAX_RAFT_TERM });
const data = fc.uint8Array({ maxLength: 64 });
const entry: fc.Arbitrary<Entry> = fc.record({ index, term, kind: fc.constantFrom('normal' as const, 'noop' as const), data });
const snapshot = fc.record({ index, term, data });

const body = fc.oneof(
  fc.record({ type: fc.constantFrom('PreVote' as const, 'RequestVote' as const), lastLogIndex: index, lastLogTerm: term }),
  fc.record({ type: fc.constantFrom('PreVoteResponse' as const, 'RequestVoteResponse' as const), granted: fc.boolean() }),
  fc.record({ type: fc.constant('AppendEntries' as const), prevLogIndex: index, prevLogTerm: term, commit: index, entries: fc.array(entry, { maxLength: 5 }) }),
  fc.record({ type: fc.constant('AppendEntriesResponse' as const), success: fc.boolean(), index, hintIndex: index, hintTerm: term }),
  fc.record({ type: fc.constant('Heartbeat' as const), commit: index }),
  fc.record({ type: fc.constant('HeartbeatResponse' as const) }),
  fc.record({ type: fc.constant('InstallSnapshot' as const), snapshot }),
  fc.record({ type: fc.constant('InstallSnapshotResponse' as const), index }),
);
const message: fc.Arbitrary<Message> = fc.tuple(fc.record({ from: nodeId, to: nodeId, term }), body).map(([header, rest]) => ({ ...header, ...rest }) as Message);

describe('raft codec', () => {
  it('round-trips every message', () => {
    fc.assert(fc.property(message, (m) => expect(decodeMessage(encodeMessage(m))).toEqual(m)));
  });

  it('round-trips entries, hard state and snapshots', () => {
    fc.assert(fc.property(entry, (e) => expect(decodeEntry(encodeEntry(e))).toEqual(e)));
    fc.assert(fc.property(fc.record({ term, votedFor: fc.integer({ min: 0, max: MAX_NODE_ID }), commit: index }), (h) => expect(decodeHardState(encodeHardState(h))).toEqual(h)));
    fc.assert(fc.property(snapshot, (s) => expect(decodeSnapshot(encodeSnapshot(s))).toEqual(s)));
  });

  it('decoding arbitrary bytes returns a message or throws RaftCodecError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        try {
          const decoded = decodeMessage(Buffer.from(bytes));
          expect(encodeMessage(decoded)).toEqual(Buffer.from(bytes));
        } catch (error) {
          expect(error).toBeInstanceOf(RaftCodecError);
        }
      }),
      { numRuns: 2_000 },
    );
  });

  it('rejects every truncation and any trailing byte of a valid message', () => {
    fc.assert(
      fc.property(message, fc.nat(), (m, cut) => {
        const bytes = encodeMessage(m);
        expect(() => decodeMessage(bytes.subarray(0, cut % bytes.length))).toThrow(RaftCodecError);
        expect(() => decodeMessage(Buffer.concat([bytes, Buffer.of(0)]))).toThrow(RaftCodecError);
      }),
    );
  });

  it('refuses a huge declared length or count before allocating', () => {
    const header = Buffer.from([1, 4, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1]);
    const appendWithHugeCount = Buffer.concat([header, Buffer.alloc(12), Buffer.from([0xff, 0xff, 0xff, 0xff])]);
    expect(() => decodeMessage(appendWithHugeCount)).toThrow(/entry count/);
    const entryWithHugeLength = Buffer.from([1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0x7f, 0xff, 0xff, 0xff]);
    expect(() => decodeEntry(entryWithHugeLength)).toThrow(/length/);
    expect(MAX_ENTRIES_PER_MESSAGE).toBeLessThan(0xffff_ffff);
  });

  it('refuses to encode a term beyond the zxid layout', () => {
    expect(() => encodeMessage({ from: 1, to: 2, term: MAX_RAFT_TERM + 1, type: 'HeartbeatResponse' })).toThrow(RaftCodecError);
  });
});
