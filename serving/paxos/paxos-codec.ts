/**
 * Binary forms of ballots, proposals and acceptor state: the acceptor state is persisted before
 * every reply, proposals travel in messages. Integers big-endian; strings are u16 length + UTF-8.
 *
 *   ballot:   12-byte HLC timestamp · string node id
 *   proposal: ballot · string operation id · u64 height · u8 has value · [u32 length · bytes]
 *             · u8 history length · history strings
 *   state:    u8 format version · u8 flags (1 promised, 2 accepted, 4 committed) · the present parts
 *
 * Guarantees: decoding accepts exactly what encoding produces and checks every field (ballot,
 * proposal invariants, limits); garbage throws MalformedPaxosDataError or
 * UnsupportedPaxosFormatError, never another error.
 */
import { ClockError, decodeHlc, encodeHlc, HLC_ENCODED_BYTES } from '../../core/clock/index.js';
import type { AcceptorState } from './acceptor.js';
import { assertBallot, assertProposal, type Ballot, type Proposal } from './ballot.js';
import { MalformedPaxosDataError, PaxosError, UnsupportedPaxosFormatError } from './errors.js';
import { MAX_PAXOS_VALUE_BYTES, PAXOS_FORMAT_VERSION, PAXOS_HISTORY_LENGTH } from './limits.js';

const FLAG_PROMISED = 1;
const FLAG_ACCEPTED = 2;
const FLAG_COMMITTED = 4;
const TWO_POW_32 = 0x1_0000_0000;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/** Accumulates chunks; sizes are small (a proposal's value dominates and is copied once). */
class Writer {
  readonly #chunks: Buffer[] = [];
  u8(value: number): void {
    this.#chunks.push(Buffer.from([value]));
  }
  u32(value: number): void {
    const chunk = Buffer.alloc(4);
    chunk.writeUInt32BE(value);
    this.#chunks.push(chunk);
  }
  u64(value: number): void {
    this.u32(Math.floor(value / TWO_POW_32));
    this.u32(value % TWO_POW_32);
  }
  string(text: string): void {
    const bytes = Buffer.from(text, 'utf8');
    const length = Buffer.alloc(2);
    length.writeUInt16BE(bytes.length);
    this.#chunks.push(length, bytes);
  }
  bytes(bytes: Buffer): void {
    this.#chunks.push(bytes);
  }
  ballot(ballot: Ballot): void {
    this.bytes(encodeHlc(ballot.timestamp));
    this.string(ballot.nodeId);
  }
  proposal(proposal: Proposal): void {
    this.ballot(proposal.ballot);
    this.string(proposal.operationId);
    this.u64(proposal.height);
    this.u8(proposal.value === null ? 0 : 1);
    if (proposal.value !== null) {
      this.u32(proposal.value.length);
      this.bytes(proposal.value);
    }
    this.u8(proposal.history.length);
    for (const id of proposal.history) this.string(id);
  }
  finish(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

class Reader {
  offset = 0;
  constructor(readonly bytes: Uint8Array) {}
  fail(reason: string): never {
    throw new MalformedPaxosDataError(reason, this.offset);
  }
  take(count: number, what: string): Uint8Array {
    if (this.offset + count > this.bytes.length) this.fail(`truncated ${what}: need ${count} bytes, have ${this.bytes.length - this.offset}`);
    const slice = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }
  u8(what: string): number {
    return this.take(1, what)[0] ?? 0;
  }
  u32(what: string): number {
    const bytes = this.take(4, what);
    return ((bytes[0] ?? 0) * 0x100_0000) + (((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0));
  }
  u64(what: string): number {
    const value = this.u32(what) * TWO_POW_32 + this.u32(what);
    if (!Number.isSafeInteger(value)) this.fail(`${what} exceeds ${Number.MAX_SAFE_INTEGER}`);
    return value;
  }
  string(what: string): string {
    const lengthBytes = this.take(2, what);
    const bytes = this.take(((lengthBytes[0] ?? 0) << 8) | (lengthBytes[1] ?? 0), what);
    try {
      return utf8Decoder.decode(bytes);
    } catch {
      return this.fail(`${what} is not valid UTF-8`);
    }
  }
  checked<T>(what: string, check: () => T): T {
    try {
      return check();
    } catch (error) {
      if (error instanceof PaxosError || error instanceof ClockError) this.fail(`${what}: ${error.message}`);
      throw error;
    }
  }
  ballot(): Ballot {
    const timestamp = this.checked('ballot timestamp', () => decodeHlc(this.take(HLC_ENCODED_BYTES, 'ballot timestamp')));
    const nodeId = this.string('ballot node id');
    return this.checked('ballot', () => assertBallot({ timestamp, nodeId }));
  }
  proposal(): Proposal {
    const ballot = this.ballot();
    const operationId = this.string('operation id');
    const height = this.u64('height');
    const hasValue = this.u8('value flag');
    if (hasValue > 1) this.fail(`value flag ${hasValue}`);
    let value: Buffer | null = null;
    if (hasValue === 1) {
      const length = this.u32('value length');
      if (length > MAX_PAXOS_VALUE_BYTES) this.fail(`value of ${length} bytes exceeds ${MAX_PAXOS_VALUE_BYTES}`);
      value = Buffer.from(this.take(length, 'value'));
    }
    const historyLength = this.u8('history length');
    if (historyLength > PAXOS_HISTORY_LENGTH) this.fail(`history of ${historyLength} exceeds ${PAXOS_HISTORY_LENGTH}`);
    const history = Array.from({ length: historyLength }, () => this.string('history entry'));
    return this.checked('proposal', () => assertProposal({ ballot, operationId, height, value, history }));
  }
  end(): void {
    if (this.offset !== this.bytes.length) this.fail(`${this.bytes.length - this.offset} trailing bytes`);
  }
}

export function encodeBallot(ballot: Ballot): Buffer {
  const writer = new Writer();
  writer.ballot(ballot);
  return writer.finish();
}

export function decodeBallot(bytes: Uint8Array): Ballot {
  const reader = new Reader(bytes);
  const ballot = reader.ballot();
  reader.end();
  return ballot;
}

export function encodeProposal(proposal: Proposal): Buffer {
  const writer = new Writer();
  writer.proposal(proposal);
  return writer.finish();
}

export function decodeProposal(bytes: Uint8Array): Proposal {
  const reader = new Reader(bytes);
  const proposal = reader.proposal();
  reader.end();
  return proposal;
}

export function encodeAcceptorState(state: AcceptorState): Buffer {
  const writer = new Writer();
  writer.u8(PAXOS_FORMAT_VERSION);
  writer.u8((state.promised ? FLAG_PROMISED : 0) | (state.accepted ? FLAG_ACCEPTED : 0) | (state.committed ? FLAG_COMMITTED : 0));
  if (state.promised) writer.ballot(state.promised);
  if (state.accepted) writer.proposal(state.accepted);
  if (state.committed) writer.proposal(state.committed);
  return writer.finish();
}

export function decodeAcceptorState(bytes: Uint8Array): AcceptorState {
  const reader = new Reader(bytes);
  const version = reader.u8('format version');
  if (version !== PAXOS_FORMAT_VERSION) throw new UnsupportedPaxosFormatError(version, PAXOS_FORMAT_VERSION);
  const flags = reader.u8('flags');
  if ((flags & ~(FLAG_PROMISED | FLAG_ACCEPTED | FLAG_COMMITTED)) !== 0) reader.fail(`unknown flags ${flags}`);
  const promised = (flags & FLAG_PROMISED) !== 0 ? reader.ballot() : null;
  const accepted = (flags & FLAG_ACCEPTED) !== 0 ? reader.proposal() : null;
  const committed = (flags & FLAG_COMMITTED) !== 0 ? reader.proposal() : null;
  reader.end();
  return { promised, accepted, committed };
}
