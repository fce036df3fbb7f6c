/**
 * Bodies of the serving layer's peer operations (peer-rpc.ts carries them). Values, ballots and
 * proposals use their own modules' codecs; this file only frames them:
 *   Put request      uint16 hint length | hinted-for node id (UTF-8) | versioned value
 *   Prepare reply    uint8 kind | ballot | (promise: accepted? | committed? | stored?) | (reject: promised)
 *   Propose reply    uint8 kind | ballot | (reject: promised)
 *   key lists        uint32 count | (uint32 length | key)*
 * where `x?` is uint8 present flag then uint32 length and bytes.
 */
import { decodeBallot, decodeProposal, encodeBallot, encodeProposal, type Ballot, type PrepareReply, type ProposeReply } from '../paxos/index.js';
import { decodeVersionedValue, encodeVersionedValue, type VersionedValue } from '../quorum/index.js';

export class MalformedPeerMessageError extends Error {
  readonly code = 'MALFORMED_PEER_MESSAGE';
  constructor(readonly what: string) {
    super(`malformed peer message: ${what}`);
    this.name = 'MalformedPeerMessageError';
  }
}

class Writer {
  private readonly parts: Buffer[] = [];
  u8(value: number): this {
    this.parts.push(Buffer.from([value]));
    return this;
  }
  u16(value: number): this {
    const b = Buffer.allocUnsafe(2);
    b.writeUInt16BE(value);
    this.parts.push(b);
    return this;
  }
  u32(value: number): this {
    const b = Buffer.allocUnsafe(4);
    b.writeUInt32BE(value);
    this.parts.push(b);
    return this;
  }
  bytes(value: Buffer): this {
    this.u32(value.length);
    this.parts.push(value);
    return this;
  }
  optional(value: Buffer | undefined): this {
    if (value === undefined) return this.u8(0);
    return this.u8(1).bytes(value);
  }
  raw(value: Buffer): this {
    this.parts.push(value);
    return this;
  }
  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

class Reader {
  private position = 0;
  constructor(private readonly buffer: Buffer) {}
  private need(count: number, what: string): number {
    if (this.position + count > this.buffer.length) throw new MalformedPeerMessageError(`${what} overruns the message`);
    const at = this.position;
    this.position += count;
    return at;
  }
  u8(what: string): number {
    return this.buffer.readUInt8(this.need(1, what));
  }
  u16(what: string): number {
    return this.buffer.readUInt16BE(this.need(2, what));
  }
  u32(what: string): number {
    return this.buffer.readUInt32BE(this.need(4, what));
  }
  bytes(what: string): Buffer {
    const length = this.u32(what);
    const at = this.need(length, what);
    return this.buffer.subarray(at, at + length);
  }
  optional(what: string): Buffer | undefined {
    return this.u8(what) === 0 ? undefined : this.bytes(what);
  }
}

export function encodePut(value: VersionedValue, hintFor?: string): Buffer {
  const hint = Buffer.from(hintFor ?? '', 'utf8');
  return new Writer().u16(hint.length).raw(hint).raw(encodeVersionedValue(value)).toBuffer();
}

export function decodePut(body: Buffer): { value: VersionedValue; hintFor: string | undefined } {
  const reader = new Reader(body);
  const hintLength = reader.u16('hint length');
  const hint = hintLength === 0 ? undefined : body.subarray(2, 2 + hintLength).toString('utf8');
  if (2 + hintLength > body.length) throw new MalformedPeerMessageError('hint overruns the message');
  return { value: decodeVersionedValue(body.subarray(2 + hintLength)), hintFor: hint };
}

export function encodeOptionalValue(value: VersionedValue | undefined): Buffer {
  return value === undefined ? Buffer.alloc(0) : encodeVersionedValue(value);
}

export function decodeOptionalValue(body: Buffer): VersionedValue | undefined {
  return body.length === 0 ? undefined : decodeVersionedValue(body);
}

const PROMISE = 1;
const REJECT = 2;
const ACCEPTED = 3;

export function encodePrepareReply(reply: PrepareReply, stored: VersionedValue | undefined): Buffer {
  const writer = new Writer().u8(reply.kind === 'promise' ? PROMISE : REJECT).bytes(encodeBallot(reply.ballot));
  if (reply.kind === 'reject') return writer.bytes(encodeBallot(reply.promised)).toBuffer();
  return writer
    .optional(reply.accepted ? encodeProposal(reply.accepted) : undefined)
    .optional(reply.committed ? encodeProposal(reply.committed) : undefined)
    .optional(stored ? encodeVersionedValue(stored) : undefined)
    .toBuffer();
}

export function decodePrepareReply(body: Buffer): { reply: PrepareReply; stored: VersionedValue | undefined } {
  const reader = new Reader(body);
  const kind = reader.u8('kind');
  const ballot: Ballot = decodeBallot(reader.bytes('ballot'));
  if (kind === REJECT) return { reply: { kind: 'reject', ballot, promised: decodeBallot(reader.bytes('promised')) }, stored: undefined };
  if (kind !== PROMISE) throw new MalformedPeerMessageError(`prepare reply kind ${kind}`);
  const accepted = reader.optional('accepted');
  const committed = reader.optional('committed');
  const stored = reader.optional('stored');
  return {
    reply: { kind: 'promise', ballot, accepted: accepted ? decodeProposal(accepted) : null, committed: committed ? decodeProposal(committed) : null },
    stored: stored ? decodeVersionedValue(stored) : undefined,
  };
}

export function encodeProposeReply(reply: ProposeReply): Buffer {
  const writer = new Writer().u8(reply.kind === 'accepted' ? ACCEPTED : REJECT).bytes(encodeBallot(reply.ballot));
  return reply.kind === 'reject' ? writer.bytes(encodeBallot(reply.promised)).toBuffer() : writer.toBuffer();
}

export function decodeProposeReply(body: Buffer): ProposeReply {
  const reader = new Reader(body);
  const kind = reader.u8('kind');
  const ballot = decodeBallot(reader.bytes('ballot'));
  if (kind === ACCEPTED) return { kind: 'accepted', ballot };
  if (kind === REJECT) return { kind: 'reject', ballot, promised: decodeBallot(reader.bytes('promised')) };
  throw new MalformedPeerMessageError(`propose reply kind ${kind}`);
}

export function encodeKeyList(keys: readonly Buffer[]): Buffer {
  const writer = new Writer().u32(keys.length);
  for (const key of keys) writer.bytes(key);
  return writer.toBuffer();
}

export function decodeKeyList(body: Buffer): Buffer[] {
  const reader = new Reader(body);
  const count = reader.u32('count');
  const keys: Buffer[] = [];
  for (let i = 0; i < count; i++) keys.push(reader.bytes('key'));
  return keys;
}

export function encodeU32(value: number): Buffer {
  return new Writer().u32(value).toBuffer();
}

export function decodeU32(body: Buffer): number {
  return new Reader(body).u32('number');
}
