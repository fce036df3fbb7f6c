/**
 * One znode as the tree stores it (ZooKeeper's DataNode + StatPersisted). Two stored fields differ
 * from what clients see, exactly as in ZooKeeper: `cversion` counts child creations only (it also
 * names sequential children), and `ephemeralOwner` keeps the container/TTL encodings. `clientStat`
 * translates both.
 */
import { CONTAINER_EPHEMERAL_OWNER, EXTENDED_OWNER_MASK, MAX_TTL_MS } from './limits.js';
import type { ACL, NodeKind, Stat } from './types.js';

export interface DataNode {
  data: Buffer;
  acl: ACL[];
  czxid: bigint;
  mzxid: bigint;
  pzxid: bigint;
  ctime: number;
  mtime: number;
  version: number;
  /** Creations of children ever (Java int, wraps); not the client's cversion. */
  cversion: number;
  aversion: number;
  /** Signed 64-bit: a session id, CONTAINER_EPHEMERAL_OWNER, a TTL encoding, or 0. */
  ephemeralOwner: bigint;
  children: Set<string>;
}

/** The mutable scalar part of a node, saved before a change so a failed multi can restore it. */
export type NodeFields = Omit<DataNode, 'children'>;

export function newNode(fields: NodeFields): DataNode {
  return { ...fields, children: new Set() };
}

export function saveFields(node: DataNode): NodeFields {
  const { children: _children, ...fields } = node;
  return fields;
}

/** DataTree.createStat of a fresh node. */
export function freshNode(data: Buffer, acl: ACL[], zxid: bigint, timeMs: number, ephemeralOwner: bigint): DataNode {
  return newNode({ data, acl, czxid: zxid, mzxid: zxid, pzxid: zxid, ctime: timeMs, mtime: timeMs, version: 0, cversion: 0, aversion: 0, ephemeralOwner });
}

/** EphemeralType.get with extended types enabled (needed for TTL nodes). */
export function kindOfOwner(ephemeralOwner: bigint): NodeKind {
  if (ephemeralOwner === 0n) return 'persistent';
  if (ephemeralOwner === CONTAINER_EPHEMERAL_OWNER) return 'container';
  if ((BigInt.asUintN(64, ephemeralOwner) & EXTENDED_OWNER_MASK) === EXTENDED_OWNER_MASK) return 'ttl';
  return 'ephemeral';
}

/** EphemeralType.TTL.toEphemeralOwner: 0xFF00000000000000 | ttl, as a signed long. */
export function ttlEphemeralOwner(ttlMs: number): bigint {
  return BigInt.asIntN(64, EXTENDED_OWNER_MASK | BigInt(ttlMs));
}

/** The TTL a TTL node's ephemeralOwner carries (EphemeralType.TTL.getValue). */
export function ttlOfOwner(ephemeralOwner: bigint): number {
  return Number(BigInt.asUintN(64, ephemeralOwner) & BigInt(MAX_TTL_MS));
}

/** A session id whose ephemerals would be mistaken for another kind (0, the container marker, an
 * extended-type top byte) cannot own ephemerals; ZooKeeper avoids these ids by capping server ids. */
export function isUsableSessionId(sessionId: bigint): boolean {
  return kindOfOwner(sessionId) === 'ephemeral';
}

/** DataNode.copyStat: cversion becomes creates + deletes (2 * creates - live children, Java int
 * arithmetic) and only real ephemerals show their owner. */
export function clientStat(node: DataNode): Stat {
  const numChildren = node.children.size;
  return {
    czxid: node.czxid,
    mzxid: node.mzxid,
    ctime: node.ctime,
    mtime: node.mtime,
    version: node.version,
    cversion: (node.cversion * 2 - numChildren) | 0,
    aversion: node.aversion,
    ephemeralOwner: kindOfOwner(node.ephemeralOwner) === 'ephemeral' ? node.ephemeralOwner : 0n,
    dataLength: node.data.length,
    numChildren,
    pzxid: node.pzxid,
  };
}

/** Java's `int + 1`. */
export function incrementInt32(value: number): number {
  return (value + 1) | 0;
}
