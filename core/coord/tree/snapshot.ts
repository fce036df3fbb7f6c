/**
 * The tree's snapshot for Raft: deterministic bytes (sessions sorted by id, nodes in pre-order with
 * children sorted), so equal states always give equal snapshots and equal digests.
 *
 * Layout: magic "BZT1" | format u32 | lastZxid i64 | body | sha256(everything before).
 * Body: sessions (count u32, then id i64 + timeoutMs f64) and nodes (count u32, then path, data,
 * czxid, mzxid, pzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner, ACL list).
 */
import { createHash } from 'node:crypto';
import { BinaryReader, BinaryWriter } from './binary.js';
import { CorruptSnapshotError } from './errors.js';
import { checkInvariants } from './invariants.js';
import { MAX_SNAPSHOT_ACL_ENTRIES, SNAPSHOT_CHECKSUM_BYTES, SNAPSHOT_FORMAT_VERSION, SNAPSHOT_MAGIC } from './limits.js';
import { newNode } from './node.js';
import type { DataNode } from './node.js';
import { joinPath, parentPathOf, pathProblem } from './paths.js';
import { TreeState } from './tree-state.js';
import type { ACL } from './types.js';

export function serializeState(state: TreeState): Buffer {
  const writer = new BinaryWriter();
  writer.raw(Buffer.from(SNAPSHOT_MAGIC, 'latin1'));
  writer.u32(SNAPSHOT_FORMAT_VERSION);
  writer.i64(state.lastZxid);
  writer.raw(encodeBody(state));
  const image = writer.toBuffer();
  return Buffer.concat([image, createHash('sha256').update(image).digest()]);
}

/** Hash of sessions and nodes (not lastZxid: a failed write consumes a zxid but changes nothing). */
export function digestState(state: TreeState): string {
  return createHash('sha256').update(encodeBody(state)).digest('hex');
}

function encodeBody(state: TreeState): Buffer {
  const writer = new BinaryWriter();
  const sessionIds = [...state.sessions.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  writer.u32(sessionIds.length);
  for (const sessionId of sessionIds) {
    writer.i64(sessionId);
    writer.f64(state.sessions.get(sessionId) ?? 0);
  }
  writer.u32(state.nodes.size);
  for (const [path, node] of preOrder(state)) encodeNode(writer, path, node);
  return writer.toBuffer();
}

/** Parents before children, siblings sorted: the only order the snapshot is written in. */
function* preOrder(state: TreeState): Generator<[string, DataNode]> {
  const stack = ['/'];
  for (let path = stack.pop(); path !== undefined; path = stack.pop()) {
    const node = state.nodes.get(path);
    if (node === undefined) continue;
    yield [path, node];
    const children = [...node.children].sort();
    for (let i = children.length - 1; i >= 0; i--) stack.push(joinPath(path, children[i] ?? ''));
  }
}

function encodeNode(writer: BinaryWriter, path: string, node: DataNode): void {
  writer.string(path);
  writer.bytes(node.data);
  writer.i64(node.czxid);
  writer.i64(node.mzxid);
  writer.i64(node.pzxid);
  writer.f64(node.ctime);
  writer.f64(node.mtime);
  writer.i32(node.version);
  writer.i32(node.cversion);
  writer.i32(node.aversion);
  writer.i64(node.ephemeralOwner);
  writer.u32(node.acl.length);
  for (const entry of node.acl) {
    writer.i32(entry.perms);
    writer.string(entry.id.scheme);
    writer.string(entry.id.id);
  }
}

/** Rebuilds a state from `serializeState` output; throws CorruptSnapshotError on any damage. */
export function deserializeState(snapshot: Buffer): TreeState {
  const headerBytes = SNAPSHOT_MAGIC.length + 4 + 8;
  if (snapshot.length < headerBytes + SNAPSHOT_CHECKSUM_BYTES) throw new CorruptSnapshotError('too short', snapshot.length);
  const image = snapshot.subarray(0, snapshot.length - SNAPSHOT_CHECKSUM_BYTES);
  const checksum = snapshot.subarray(snapshot.length - SNAPSHOT_CHECKSUM_BYTES);
  if (!createHash('sha256').update(image).digest().equals(checksum)) throw new CorruptSnapshotError('checksum mismatch', image.length);
  const reader = new BinaryReader(image);
  if (reader.take(SNAPSHOT_MAGIC.length).toString('latin1') !== SNAPSHOT_MAGIC) throw new CorruptSnapshotError('not a data tree snapshot', 0);
  const format = reader.u32();
  if (format !== SNAPSHOT_FORMAT_VERSION) throw new CorruptSnapshotError(`unknown format ${format}`, 4);
  const state = new TreeState();
  state.lastZxid = reader.i64();
  readSessions(reader, state);
  readNodes(reader, state);
  if (reader.remaining !== 0) throw new CorruptSnapshotError(`${reader.remaining} trailing bytes`, reader.position);
  checkInvariants(state);
  return state;
}

function readSessions(reader: BinaryReader, state: TreeState): void {
  const count = reader.u32();
  for (let i = 0; i < count; i++) {
    const sessionId = reader.i64();
    if (state.sessions.has(sessionId)) throw new CorruptSnapshotError('duplicate session', reader.position);
    state.sessions.set(sessionId, reader.f64());
  }
}

function readNodes(reader: BinaryReader, state: TreeState): void {
  const count = reader.u32();
  for (let i = 0; i < count; i++) {
    const offset = reader.position;
    const path = reader.string();
    const node = readNode(reader);
    if (i === 0) {
      if (path !== '/') throw new CorruptSnapshotError('first node is not the root', offset);
      state.nodes.set(path, node);
      continue;
    }
    if (pathProblem(path) !== null || state.nodes.has(path) || !state.nodes.has(parentPathOf(path) || '/')) {
      throw new CorruptSnapshotError(`node ${JSON.stringify(path)} is invalid, repeated or orphaned`, offset);
    }
    state.insertNode(path, node);
  }
  if (!state.nodes.has('/')) throw new CorruptSnapshotError('no root node', reader.position);
}

function readNode(reader: BinaryReader): DataNode {
  const data = reader.bytes();
  const [czxid, mzxid, pzxid] = [reader.i64(), reader.i64(), reader.i64()];
  const [ctime, mtime] = [reader.f64(), reader.f64()];
  const [version, cversion, aversion] = [reader.i32(), reader.i32(), reader.i32()];
  const ephemeralOwner = reader.i64();
  return newNode({ data, acl: readAcl(reader), czxid, mzxid, pzxid, ctime, mtime, version, cversion, aversion, ephemeralOwner });
}

function readAcl(reader: BinaryReader): ACL[] {
  const count = reader.u32();
  if (count > MAX_SNAPSHOT_ACL_ENTRIES) throw new CorruptSnapshotError(`ACL list of ${count} entries`, reader.position);
  const acl: ACL[] = [];
  for (let i = 0; i < count; i++) {
    const perms = reader.i32();
    acl.push({ perms, id: { scheme: reader.string(), id: reader.string() } });
  }
  return acl;
}
