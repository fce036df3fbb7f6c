/**
 * The data tree's vocabulary: ids, ACLs, Stats, the write operations every replica applies in log
 * order, and what applying one yields. 64-bit ZooKeeper longs (zxids, session ids, ephemeralOwner)
 * are signed bigints, exactly as Java's `long`, so they encode with writeBigInt64BE unchanged.
 */
import type { ErrorCode } from '../zookeeper-constants.js';

/** Any ZooKeeper error code but OK: typing failures with it lets `result.err !== 0` narrow a result
 * to its success shape. */
export type FailureCode = Exclude<ErrorCode, 0>;

export interface Id {
  scheme: string;
  id: string;
}

export interface ACL {
  perms: number;
  id: Id;
}

/** What clients see (org.apache.zookeeper.data.Stat). `cversion` is the client view (creates plus
 * deletes of children) and `ephemeralOwner` is 0 for container and TTL nodes, as in ZooKeeper. */
export interface Stat {
  czxid: bigint;
  mzxid: bigint;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  ephemeralOwner: bigint;
  dataLength: number;
  numChildren: number;
  pzxid: bigint;
}

/** Who applies a write and when: chosen by the leader, identical on every replica. */
export interface TxnContext {
  zxid: bigint;
  timeMs: number;
  sessionId: bigint;
  authIds: Id[];
}

export type WriteOp =
  | { type: 'create'; path: string; data: Buffer; acl: ACL[]; mode: number /* CreateMode */; ttlMs?: number }
  | { type: 'delete'; path: string; version: number } // version -1 = any
  | { type: 'setData'; path: string; data: Buffer; version: number }
  | { type: 'setACL'; path: string; acl: ACL[]; version: number }
  | { type: 'check'; path: string; version: number } // meaningful inside multi
  | { type: 'multi'; ops: WriteOp[] } // all-or-nothing
  | { type: 'createSession'; sessionId: bigint; timeoutMs: number }
  | { type: 'closeSession'; sessionId: bigint } // also used for expiry: deletes the session's ephemerals
  | { type: 'deleteContainer'; path: string } // leader cleanup; re-checks the condition at apply time
  | { type: 'deleteExpiredTtl'; path: string; nowMs: number } // leader cleanup; re-checks at apply time
  | { type: 'noop' }; // sync / leader start

/** One entry of a failed multi, like ZooKeeper's ErrorResult: err 0 (OK) for the ops before the
 * failing one, its code for it, RUNTIMEINCONSISTENCY for the ops after it. */
export interface MultiFailureEntry {
  err: number;
  type: WriteOp['type'];
}

export type OpResult =
  | { err: 0; type: 'create'; path: string; stat: Stat } // path = actual created path (with sequence suffix)
  | { err: 0; type: 'delete' | 'check' | 'noop' | 'closeSession' | 'createSession' | 'deleteContainer' | 'deleteExpiredTtl' }
  | { err: 0; type: 'setData' | 'setACL'; stat: Stat }
  | { err: 0; type: 'multi'; results: OpResult[] }
  | { err: FailureCode; type: WriteOp['type']; results?: MultiFailureEntry[] /* for a failed multi: per-op results */ };

/** A change watchers may care about. `acl` is the ACL of the node the event is about (the parent's
 * for NodeChildrenChanged, the removed node's for NodeDeleted): ZooKeeper ≥ 3.8.4 delivers an event
 * only to sessions with READ permission on it (ServerCnxn.process(event, znodeAcl)). */
export interface WatchTrigger {
  path: string;
  type: number /* EventType.NodeCreated | NodeDeleted | NodeDataChanged | NodeChildrenChanged */;
  acl: ACL[];
}

export interface ApplyOutcome {
  result: OpResult;
  triggers: WatchTrigger[];
}

/** EphemeralType of ZooKeeper: what a node's stored ephemeralOwner means. */
export type NodeKind = 'persistent' | 'ephemeral' | 'container' | 'ttl';

export type ReadResult<T> = ({ err: 0 } & T) | { err: FailureCode };
