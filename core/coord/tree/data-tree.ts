/**
 * DataTree: the coordination service's replicated state machine. Every server applies the same
 * committed writes in the same order and ends in the same state (same digest), because applying is
 * a pure function of (state, op, TxnContext): no clocks, no randomness, and every output whose order
 * could depend on Map iteration is sorted. Writes follow ZooKeeper 3.8's PrepRequestProcessor checks
 * and DataTree effects; reads follow FinalRequestProcessor. Failures are ZooKeeper error codes,
 * returned, never thrown.
 */
import { applyOp } from './apply.js';
import { addBuiltinNodes } from './builtin-nodes.js';
import { checkInvariants } from './invariants.js';
import { kindOfOwner } from './node.js';
import { cleanupCandidates } from './ops-session.js';
import * as reads from './reads.js';
import { deserializeState, digestState, serializeState } from './snapshot.js';
import { TreeState } from './tree-state.js';
import type { ACL, ApplyOutcome, Id, NodeKind, ReadResult, Stat, TxnContext, WatchTrigger, WriteOp } from './types.js';

export class DataTree {
  private state: TreeState;

  /** A fresh tree, like a new ZooKeeper 3.8 server: "/", "/zookeeper", "/zookeeper/quota" and
   * "/zookeeper/config" with zeroed stats, world:anyone ALL except the read-only config node. */
  constructor() {
    this.state = new TreeState();
    addBuiltinNodes(this.state);
  }

  /** Applies one committed write. Even a failing op consumes its zxid, as ZooKeeper's error txns do. */
  apply(op: WriteOp, ctx: TxnContext): ApplyOutcome {
    const triggers: WatchTrigger[] = [];
    const result = applyOp(this.state, op, ctx, triggers);
    if (ctx.zxid > this.state.lastZxid) this.state.lastZxid = ctx.zxid;
    return { result, triggers };
  }

  get lastZxid(): bigint {
    return this.state.lastZxid;
  }

  getData(path: string, authIds: Id[]): ReadResult<{ data: Buffer; stat: Stat }> {
    return reads.getData(this.state, path, authIds);
  }

  /** NONODE when absent. Without `authIds` no ACL is checked (ZooKeeper ≤ 3.8.3); with them, READ
   * is required on an existing node (ZooKeeper ≥ 3.8.4, ZOOKEEPER-2590). */
  exists(path: string, authIds?: Id[]): ReadResult<{ stat: Stat }> {
    return reads.exists(this.state, path, authIds);
  }

  getChildren(path: string, authIds: Id[]): ReadResult<{ children: string[]; stat: Stat }> {
    return reads.getChildren(this.state, path, authIds);
  }

  getACL(path: string, authIds: Id[]): ReadResult<{ acl: ACL[]; stat: Stat }> {
    return reads.getAcl(this.state, path, authIds);
  }

  getAllChildrenNumber(path: string, authIds: Id[]): ReadResult<{ count: number }> {
    return reads.getAllChildrenNumber(this.state, path, authIds);
  }

  getEphemerals(sessionId: bigint, prefixPath: string): string[] {
    return reads.getEphemerals(this.state, sessionId, prefixPath);
  }

  /** What kind of node `path` is (persistent, ephemeral, container, ttl), or undefined if absent:
   * clients see ephemeralOwner 0 for containers and TTL nodes, the server may need to know. */
  nodeKind(path: string): NodeKind | undefined {
    const node = this.state.lookup(path);
    return node === undefined ? undefined : kindOfOwner(node.ephemeralOwner);
  }

  sessions(): Array<{ sessionId: bigint; timeoutMs: number }> {
    return [...this.state.sessions.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([sessionId, timeoutMs]) => ({ sessionId, timeoutMs }));
  }

  hasSession(sessionId: bigint): boolean {
    return this.state.sessions.has(BigInt.asIntN(64, sessionId));
  }

  /** Empty containers that once had a child, and empty TTL nodes with nowMs - mtime > ttl, as the
   * ops the leader should propose (sorted). Each op re-checks its condition when applied. */
  cleanupCandidates(nowMs: number): WriteOp[] {
    return cleanupCandidates(this.state, nowMs);
  }

  /** DataTree.getNodeCount, i.e. mntr's zk_znode_count: ZooKeeper's node map holds the root under
   * both "" and "/", so a fresh tree reports 5 for its 4 nodes. We report the same number. */
  nodeCount(): number {
    return this.state.nodes.size + 1;
  }

  ephemeralCount(): number {
    let count = 0;
    for (const paths of this.state.ephemeralsBySession.values()) count += paths.size;
    return count;
  }

  /** DataTree.approximateDataSize: path length plus data bytes of every node, the root counted
   * under both of its keys ("" and "/") as ZooKeeper does. */
  approximateDataBytes(): number {
    let bytes = this.state.nodes.get('/')?.data.length ?? 0;
    for (const [path, node] of this.state.nodes) bytes += path.length + node.data.length;
    return bytes;
  }

  serialize(): Buffer {
    return serializeState(this.state);
  }

  static deserialize(snapshot: Buffer): DataTree {
    const tree = new DataTree();
    tree.state = deserializeState(snapshot);
    return tree;
  }

  /** SHA-256 (hex) of sessions and nodes; lastZxid is not included (compare it on its own). */
  digest(): string {
    return digestState(this.state);
  }

  /** Throws InvariantViolationError if the tree is inconsistent. O(nodes): for tests and audits. */
  checkInvariants(): void {
    checkInvariants(this.state);
  }
}
