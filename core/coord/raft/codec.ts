/**
 * Compact, versioned, big-endian binary encoding of Raft messages, entries, hard state and
 * snapshots (the wire between ensemble members and the payload of storage records).
 *
 * Every decoder checks each length against both the bytes present and a named limit before
 * allocating, so garbage input throws RaftCodecError: it never crashes, loops or reserves absurd
 * memory. Trailing bytes are an error too (a framing bug must not go unnoticed).
 */
import { RaftCodecError } from './errors.js';
import { MAX_ENTRIES_PER_MESSAGE, MAX_ENTRY_DATA_BYTES, MAX_NODE_ID, MAX_RAFT_INDEX, MAX_RAFT_TERM, MAX_SNAPSHOT_BYTES } from './limits.js';
import type { Entry, HardState, Message, MessageType, Snapshot } from './types.js';

export const CODEC_VERSION = 1;

const MESSAGE_TYPES: readonly MessageType[] = [
  'PreVote', 'PreVoteResponse', 'RequestVote', 'RequestVoteResponse', 'AppendEntries',
  'AppendEntriesResponse', 'Heartbeat', 'HeartbeatResponse', 'InstallSnapshot', 'InstallSnapshotResponse',
];
const ENTRY_KINDS: readonly Entry['kind'][] = ['normal', 'noop'];

/** Bytes of an entry before its data: index, term, kind, data length. */
const ENTRY_HEADER_BYTES = 4 + 4 + 1 + 4;

/** Appends into one growing buffer: a Buffer per field would dominate encoding time. */
class Writer {
  private buffer = Buffer.allocUnsafe(256);
  private offset = 0;

  private reserve(sizeBytes: number): void {
    if (this.offset + sizeBytes <= this.buffer.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buffer.length * 2, this.offset + sizeBytes));
    this.buffer.copy(grown, 0, 0, this.offset);
    this.buffer = grown;
  }

  u8(value: number): this {
    this.reserve(1);
    this.buffer[this.offset++] = value;
    return this;
  }

  u32(value: number, max = 0xffff_ffff, what = 'u32'): this {
    if (!Number.isInteger(value) || value < 0 || value > max) throw new RaftCodecError(`${what} ${value} outside [0, ${max}]`, -1);
    this.reserve(4);
    this.buffer.writeUInt32BE(value, this.offset);
    this.offset += 4;
    return this;
  }

  bytes(data: Uint8Array, maxBytes: number): this {
    if (data.byteLength > maxBytes) throw new RaftCodecError(`${data.byteLength} bytes exceed the limit of ${maxBytes}`, -1);
    this.u32(data.byteLength);
    this.reserve(data.byteLength);
    this.buffer.set(data, this.offset);
    this.offset += data.byteLength;
    return this;
  }

  finish(): Buffer {
    return this.buffer.subarray(0, this.offset);
  }
}

class Reader {
  private offset = 0;

  constructor(private readonly buffer: Buffer) {}

  private need(sizeBytes: number): void {
    if (this.buffer.length - this.offset < sizeBytes) throw new RaftCodecError(`need ${sizeBytes} more bytes, ${this.buffer.length - this.offset} left`, this.offset);
  }

  u8(): number {
    this.need(1);
    return this.buffer.readUInt8(this.offset++);
  }

  u32(max = 0xffff_ffff, what = 'u32'): number {
    this.need(4);
    const value = this.buffer.readUInt32BE(this.offset);
    if (value > max) throw new RaftCodecError(`${what} ${value} exceeds ${max}`, this.offset);
    this.offset += 4;
    return value;
  }

  bytes(maxBytes: number): Uint8Array {
    const length = this.u32(maxBytes, 'length');
    this.need(length);
    const data = new Uint8Array(this.buffer.subarray(this.offset, this.offset + length));
    this.offset += length;
    return data;
  }

  end(): void {
    if (this.offset !== this.buffer.length) throw new RaftCodecError(`${this.buffer.length - this.offset} trailing bytes`, this.offset);
  }

  version(): void {
    const version = this.u8();
    if (version !== CODEC_VERSION) throw new RaftCodecError(`unsupported version ${version}`, 0);
  }

  nodeId(): number {
    const id = this.u32(MAX_NODE_ID, 'node id');
    if (id === 0) throw new RaftCodecError('node id 0', this.offset - 4);
    return id;
  }
}

const index = (writer: Writer, value: number): Writer => writer.u32(value, MAX_RAFT_INDEX, 'index');
const term = (writer: Writer, value: number): Writer => writer.u32(value, MAX_RAFT_TERM, 'term');
const flag = (reader: Reader): boolean => {
  const value = reader.u8();
  if (value > 1) throw new RaftCodecError(`boolean ${value}`, -1);
  return value === 1;
};

function writeEntry(writer: Writer, entry: Entry): void {
  const kind = ENTRY_KINDS.indexOf(entry.kind);
  if (kind < 0) throw new RaftCodecError(`entry kind ${String(entry.kind)}`, -1);
  term(index(writer, entry.index), entry.term).u8(kind).bytes(entry.data, MAX_ENTRY_DATA_BYTES);
}

function readEntry(reader: Reader): Entry {
  const entryIndex = reader.u32(MAX_RAFT_INDEX, 'index');
  const entryTerm = reader.u32(MAX_RAFT_TERM, 'term');
  const kind = ENTRY_KINDS[reader.u8()];
  if (kind === undefined) throw new RaftCodecError('unknown entry kind', -1);
  return { index: entryIndex, term: entryTerm, kind, data: reader.bytes(MAX_ENTRY_DATA_BYTES) };
}

function writeSnapshot(writer: Writer, snapshot: Snapshot): void {
  term(index(writer, snapshot.index), snapshot.term).bytes(snapshot.data, MAX_SNAPSHOT_BYTES);
}

function readSnapshot(reader: Reader): Snapshot {
  return { index: reader.u32(MAX_RAFT_INDEX, 'index'), term: reader.u32(MAX_RAFT_TERM, 'term'), data: reader.bytes(MAX_SNAPSHOT_BYTES) };
}

function writeBody(writer: Writer, message: Message): void {
  switch (message.type) {
    case 'PreVote':
    case 'RequestVote': term(index(writer, message.lastLogIndex), message.lastLogTerm); return;
    case 'PreVoteResponse':
    case 'RequestVoteResponse': writer.u8(message.granted ? 1 : 0); return;
    case 'AppendEntries':
      if (message.entries.length > MAX_ENTRIES_PER_MESSAGE) throw new RaftCodecError(`${message.entries.length} entries exceed ${MAX_ENTRIES_PER_MESSAGE}`, -1);
      index(term(index(writer, message.prevLogIndex), message.prevLogTerm), message.commit).u32(message.entries.length);
      for (const entry of message.entries) writeEntry(writer, entry);
      return;
    case 'AppendEntriesResponse': term(index(index(writer.u8(message.success ? 1 : 0), message.index), message.hintIndex), message.hintTerm); return;
    case 'Heartbeat': index(writer, message.commit); return;
    case 'HeartbeatResponse': return;
    case 'InstallSnapshot': writeSnapshot(writer, message.snapshot); return;
    case 'InstallSnapshotResponse': index(writer, message.index); return;
  }
}

type Header = { from: number; to: number; term: number };

function readBody(reader: Reader, type: MessageType, header: Header): Message {
  const readIndex = (): number => reader.u32(MAX_RAFT_INDEX, 'index');
  const readTerm = (): number => reader.u32(MAX_RAFT_TERM, 'term');
  switch (type) {
    case 'PreVote':
    case 'RequestVote': return { ...header, type, lastLogIndex: readIndex(), lastLogTerm: readTerm() };
    case 'PreVoteResponse':
    case 'RequestVoteResponse': return { ...header, type, granted: flag(reader) };
    case 'AppendEntries': {
      const prevLogIndex = readIndex();
      const prevLogTerm = readTerm();
      const commit = readIndex();
      const count = reader.u32(MAX_ENTRIES_PER_MESSAGE, 'entry count');
      const entries: Entry[] = [];
      for (let i = 0; i < count; i++) entries.push(readEntry(reader));
      return { ...header, type, prevLogIndex, prevLogTerm, commit, entries };
    }
    case 'AppendEntriesResponse': return { ...header, type, success: flag(reader), index: readIndex(), hintIndex: readIndex(), hintTerm: readTerm() };
    case 'Heartbeat': return { ...header, type, commit: readIndex() };
    case 'HeartbeatResponse': return { ...header, type };
    case 'InstallSnapshot': return { ...header, type, snapshot: readSnapshot(reader) };
    case 'InstallSnapshotResponse': return { ...header, type, index: readIndex() };
  }
}

export function encodeMessage(message: Message): Buffer {
  const type = MESSAGE_TYPES.indexOf(message.type);
  if (type < 0) throw new RaftCodecError(`unknown message type ${String(message.type)}`, -1);
  const writer = new Writer().u8(CODEC_VERSION).u8(type).u32(message.from, MAX_NODE_ID, 'from').u32(message.to, MAX_NODE_ID, 'to');
  term(writer, message.term);
  writeBody(writer, message);
  return writer.finish();
}

export function decodeMessage(buffer: Buffer): Message {
  const reader = new Reader(buffer);
  reader.version();
  const type = MESSAGE_TYPES[reader.u8()];
  if (type === undefined) throw new RaftCodecError('unknown message type', 1);
  const header = { from: reader.nodeId(), to: reader.nodeId(), term: reader.u32(MAX_RAFT_TERM, 'term') };
  const message = readBody(reader, type, header);
  reader.end();
  return message;
}

export function encodeEntry(entry: Entry): Buffer {
  const writer = new Writer().u8(CODEC_VERSION);
  writeEntry(writer, entry);
  return writer.finish();
}

export function decodeEntry(buffer: Buffer): Entry {
  const reader = new Reader(buffer);
  reader.version();
  const entry = readEntry(reader);
  reader.end();
  return entry;
}

/** Encoded size of an entry, to plan segment rolls without encoding twice. */
export function encodedEntryBytes(entry: Entry): number {
  return 1 + ENTRY_HEADER_BYTES + entry.data.byteLength;
}

export function encodeHardState(hardState: HardState): Buffer {
  const writer = new Writer().u8(CODEC_VERSION);
  index(term(writer, hardState.term).u32(hardState.votedFor, MAX_NODE_ID, 'votedFor'), hardState.commit);
  return writer.finish();
}

export function decodeHardState(buffer: Buffer): HardState {
  const reader = new Reader(buffer);
  reader.version();
  const hardState = { term: reader.u32(MAX_RAFT_TERM, 'term'), votedFor: reader.u32(MAX_NODE_ID, 'votedFor'), commit: reader.u32(MAX_RAFT_INDEX, 'commit') };
  reader.end();
  return hardState;
}

export function encodeSnapshot(snapshot: Snapshot): Buffer {
  const writer = new Writer().u8(CODEC_VERSION);
  writeSnapshot(writer, snapshot);
  return writer.finish();
}

export function decodeSnapshot(buffer: Buffer): Snapshot {
  const reader = new Reader(buffer);
  reader.version();
  const snapshot = readSnapshot(reader);
  reader.end();
  return snapshot;
}
